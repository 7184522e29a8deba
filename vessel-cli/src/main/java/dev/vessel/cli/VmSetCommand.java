package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.MemoryTargetRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel vm set VM --memory-target SIZE}: settings changed on a VM, at runtime where they can be. */
@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        description = {
            "Change a VM's settings: its balloon's memory target.",
            "--memory-target inflates the balloon so the guest keeps SIZE of its RAM and returns the rest to the host (at once",
            "when it runs; kept for its next starts); 'none' gives the guest all its RAM again.",
            "  vessel vm set web --memory-target 256M"
        })
final class VmSetCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "VM")
    String vm;

    @Option(names = "--memory-target", required = true, paramLabel = "SIZE|none")
    String memoryTarget;

    @Override
    public Integer call() {
        var body = new MemoryTargetRequest(memoryTarget.equals("none") ? null : memoryTarget);
        JsonNode r = api().send("/api/v1/instances/" + Api.enc(vm) + "/memory-target", body);
        if (json()) {
            Output.json(out(), r);
        } else if (r.path("target").isNull()) {
            out().println("vm " + vm + ": no memory target; the guest keeps all "
                    + Output.bytes(r.path("memory").asLong()));
        } else {
            out().println("vm " + vm + ": memory target "
                    + Output.bytes(r.path("target").asLong()) + " of "
                    + Output.bytes(r.path("memory").asLong())
                    + (r.path("applied").asBoolean()
                            ? " (balloon set; the guest gives the rest back over a few seconds)"
                            : " (applied at its next start)"));
        }
        return ExitCodes.OK;
    }
}
