package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.CloneRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vm template} and {@code vm clone}. */
final class CloneCommands {
    private CloneCommands() {}

    @Command(
            name = "template",
            mixinStandardHelpOptions = true,
            description =
                    "Make a stopped VM a read-only template: it never runs again, and linked clones build on its disks.")
    static final class Template extends ApiCommand {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Override
        public Integer call() {
            JsonNode i = api().post("/api/v1/instances/" + Api.enc(vm) + "/template", null);
            if (json()) {
                Output.json(out(), i);
            } else {
                out().println(vm + " is a template");
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "clone",
            mixinStandardHelpOptions = true,
            description = {
                "Clone a VM: a new id, name, MAC, SMBIOS UUID and IP leases.",
                "Linked (default for a template): a copy-on-write overlay on the template's disks, made at once.",
                "Full (default for a stopped VM): an independent copy.",
                "  vessel vm clone base web1 --linked"
            })
    static final class Clone extends ApiCommand {
        @Parameters(index = "0", paramLabel = "SRC")
        String src;

        @Parameters(index = "1", paramLabel = "NEW")
        String name;

        @ArgGroup(exclusive = true)
        Mode mode;

        static final class Mode {
            @Option(names = "--linked", description = "Overlay on a template's disks.")
            boolean linked;

            @Option(names = "--full", description = "An independent copy.")
            boolean full;
        }

        @Override
        public Integer call() {
            var body = new CloneRequest(name, mode == null ? null : mode.linked ? "linked" : "full");
            var r = api().send("/api/v1/instances/" + Api.enc(src) + "/clone", body);
            if (r.has("operation")) {
                TaskWaiter.await(api(), r, err(), json());
            }
            JsonNode vm = api().get("/api/v1/instances/" + Api.enc(name));
            if (json()) {
                Output.json(out(), vm);
            } else {
                out().println(name + " " + vm.path("status").asText() + " (id "
                        + vm.path("id").asText() + ", mac "
                        + vm.path("spec").path("mac").asText() + ")");
            }
            return ExitCodes.OK;
        }
    }
}
