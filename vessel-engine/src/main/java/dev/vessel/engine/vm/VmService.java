package dev.vessel.engine.vm;

import dev.vessel.core.model.Instance;
import dev.vessel.core.task.Task;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.instance.InstanceService;
import dev.vessel.engine.service.Vms;
import dev.vessel.engine.stats.MemoryTargetOps;
import dev.vessel.engine.storage.TemplateOps;
import dev.vessel.model.CloneRequest;
import dev.vessel.model.CloneResult;
import dev.vessel.model.InstanceView;
import dev.vessel.model.MemoryTargetRequest;
import dev.vessel.model.VmCreateRequest;
import java.util.Map;

/** {@link Vms}: creation, templates and clones, the balloon's target. A new VM is announced on the event stream. */
public final class VmService implements Vms {
    private final VmCreator creator;
    private final InstanceOps ops;
    private final InstanceService views;
    private final TemplateOps templates;
    private final MemoryTargetOps targets;
    private final VmConfigOps config;
    private final dev.vessel.engine.instance.GuestAgents agents;
    private final VmMediaOps media;

    public VmService(
            VmCreator creator,
            InstanceOps ops,
            InstanceService views,
            TemplateOps templates,
            MemoryTargetOps targets,
            VmConfigOps config,
            dev.vessel.engine.instance.GuestAgents agents,
            VmMediaOps media) {
        this.agents = agents;
        this.media = media;
        this.creator = creator;
        this.ops = ops;
        this.views = views;
        this.templates = templates;
        this.targets = targets;
        this.config = config;
    }

    @Override
    public InstanceView configure(String name, dev.vessel.model.VmConfigRequest request) {
        config.configure(name, request);
        return views.view(name);
    }

    @Override
    public InstanceView create(String project, VmCreateRequest request) {
        return views.view(ops.created(creator.create(project, request)));
    }

    @Override
    public InstanceView template(String name) {
        return InstanceView.of(templates.template(name), null);
    }

    @Override
    public CloneResult clone(String name, CloneRequest request) {
        Object made = templates.clone(name, request);
        return made instanceof Instance i
                ? new CloneResult.Made(InstanceView.of(i, null))
                : new CloneResult.Copying((Task) made);
    }

    @Override
    public InstanceView cdrom(String name, dev.vessel.model.CdromRequest request) {
        media.change(name, request);
        return views.view(name);
    }

    @Override
    public dev.vessel.core.model.GuestInfo guest(String name, int timeoutSeconds) {
        return agents.info(ops.get(name), java.time.Duration.ofSeconds(timeoutSeconds));
    }

    @Override
    public dev.vessel.model.GuestExecResult guestExec(String name, dev.vessel.model.GuestExecRequest r) {
        if (r == null || r.command() == null || r.command().isEmpty()) {
            throw dev.vessel.core.error.VesselException.invalid("command", "give the program to run and its arguments");
        }
        if (r.command().stream().anyMatch(a -> a == null || a.indexOf('\0') >= 0)) {
            throw dev.vessel.core.error.VesselException.invalid("command", "arguments must be strings without NUL");
        }
        int timeout = r.timeout() == null ? 60 : r.timeout();
        if (timeout < 1 || timeout > 3600) {
            throw dev.vessel.core.error.VesselException.invalid("timeout", timeout + " is outside 1..3600 seconds");
        }
        byte[] input = r.input() == null ? null : r.input().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var done = agents.exec(ops.get(name), r.command(), input, java.time.Duration.ofSeconds(timeout));
        return new dev.vessel.model.GuestExecResult(
                done.exitCode(),
                new String(done.stdout(), java.nio.charset.StandardCharsets.UTF_8),
                new String(done.stderr(), java.nio.charset.StandardCharsets.UTF_8),
                done.truncated());
    }

    @Override
    public Map<String, Object> setMemoryTarget(String name, MemoryTargetRequest request) {
        return targets.set(name, request);
    }
}
