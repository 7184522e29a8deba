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

    public VmService(
            VmCreator creator,
            InstanceOps ops,
            InstanceService views,
            TemplateOps templates,
            MemoryTargetOps targets,
            VmConfigOps config) {
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
    public Map<String, Object> setMemoryTarget(String name, MemoryTargetRequest request) {
        return targets.set(name, request);
    }
}
