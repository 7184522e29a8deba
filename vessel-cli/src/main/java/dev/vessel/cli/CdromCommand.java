package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.CdromRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vessel vm cdrom VM ISO|IMAGE} and {@code vessel vm cdrom VM --eject}: change the disc, running or not. */
@Command(
        name = "cdrom",
        mixinStandardHelpOptions = true,
        description = {
            "Put an ISO into a VM's CD-ROM drive, or eject it; at once when the VM runs, and for its next starts.",
            "  vessel vm cdrom desk ~/Downloads/virtio-win.iso",
            "  vessel vm cdrom desk --eject --drive 1"
        })
final class CdromCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "VM")
    String vm;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ISO|IMAGE")
    String media;

    @Option(names = "--eject", description = "Take the medium out.")
    boolean eject;

    @Option(names = "--drive", paramLabel = "N", description = "Which CD-ROM, from 0 (default: the first).")
    Integer drive;

    @Override
    public Integer call() {
        if (eject == (media != null)) {
            throw new CliError(ExitCodes.USAGE, "give an ISO or image to insert, or --eject; not both, not neither");
        }
        JsonNode view = api().send(
                        "/api/v1/instances/" + Api.enc(vm) + "/cdrom",
                        new CdromRequest(eject ? null : VmCreateCommand.media(media), drive));
        if (json()) {
            Output.json(out(), view);
            return ExitCodes.OK;
        }
        var cds = new java.util.ArrayList<String>();
        for (JsonNode d : view.path("spec").path("boot").path("disks")) {
            if (d.path("media").asText().equals("cdrom")) {
                cds.add(java.nio.file.Path.of(d.path("path").asText())
                        .getFileName()
                        .toString());
            }
        }
        out().println("vm " + vm + ": CD-ROM " + (cds.isEmpty() ? "none" : String.join(", ", cds)));
        return ExitCodes.OK;
    }
}
