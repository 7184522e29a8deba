package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.MemoryTargetRequest;
import dev.vessel.model.VmConfigRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vessel vm set VM [--cpus N] [--memory SIZE] [--autostart true|false] [--memory-target SIZE]}: a VM's
 * settings, as {@code qm set}: at runtime where they can be (the balloon), else while it is stopped.
 */
@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        description = {
            "Change a VM's settings: CPUs and memory (while it is stopped), autostart, its balloon's memory target.",
            "--autostart true starts the VM when the daemon first starts after the host booted (Proxmox VE's onboot).",
            "--memory-target inflates the balloon so the guest keeps SIZE of its RAM and returns the rest to the host (at once",
            "when it runs; kept for its next starts); 'none' gives the guest all its RAM again.",
            "  vessel vm set web --cpus 2 --memory 1G --autostart true --restart on-failure",
            "  vessel vm set web --memory-target 256M"
        })
final class VmSetCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "VM")
    String vm;

    @Option(names = "--cpus", paramLabel = "N", description = "vCPUs (the VM must be stopped)")
    Integer cpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "RAM, e.g. 1G (the VM must be stopped)")
    String memory;

    @Option(names = "--autostart", paramLabel = "true|false", arity = "1")
    Boolean autostart;

    @Option(
            names = "--restart",
            paramLabel = "POLICY",
            description = "no, on-failure[:N], always or unless-stopped: what happens when QEMU dies (a failure) or the"
                    + " guest powers off (a clean exit), as Docker's restart policy")
    String restart;

    @Option(names = "--memory-target", paramLabel = "SIZE|none")
    String memoryTarget;

    @Option(
            names = "--virtio",
            paramLabel = "true|false",
            arity = "1",
            description =
                    "A Windows guest with virtio-win installed: its root disk on virtio-scsi and virtio NICs from the"
                            + " next start (the VM must be stopped)")
    Boolean virtio;

    @Override
    public Integer call() {
        boolean config = cpus != null || memory != null || autostart != null || restart != null || virtio != null;
        if (!config && memoryTarget == null) {
            throw new CliError(
                    ExitCodes.USAGE,
                    "nothing to set: give --cpus, --memory, --autostart, --restart, --virtio or --memory-target");
        }
        JsonNode view = null;
        if (config) {
            var body = dev.vessel.host.Json.MAPPER.valueToTree(
                    new VmConfigRequest(cpus, memory, autostart, restart, virtio));
            view = api().call("PATCH", "/api/v1/instances/" + Api.enc(vm), body);
        }
        JsonNode target = null;
        if (memoryTarget != null) {
            var body = new MemoryTargetRequest(memoryTarget.equals("none") ? null : memoryTarget);
            target = api().send("/api/v1/instances/" + Api.enc(vm) + "/memory-target", body);
        }
        if (json()) {
            Output.json(out(), target != null ? target : view);
            return ExitCodes.OK;
        }
        if (view != null) {
            JsonNode spec = view.path("spec");
            out().println("vm " + vm + ": " + spec.path("cpus").asInt() + " vCPU(s), "
                    + Output.bytes(spec.path("memoryBytes").asLong()) + ", autostart "
                    + (spec.path("autostart").asBoolean() ? "on" : "off") + ", restart "
                    + spec.path("restart").asText("no"));
        }
        if (target == null) {
            return ExitCodes.OK;
        }
        if (target.path("target").isNull()) {
            out().println("vm " + vm + ": no memory target; the guest keeps all "
                    + Output.bytes(target.path("memory").asLong()));
        } else {
            out().println("vm " + vm + ": memory target "
                    + Output.bytes(target.path("target").asLong()) + " of "
                    + Output.bytes(target.path("memory").asLong())
                    + (target.path("applied").asBoolean()
                            ? " (balloon set; the guest gives the rest back over a few seconds)"
                            : " (applied at its next start)"));
        }
        return ExitCodes.OK;
    }
}
