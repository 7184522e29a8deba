package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.ImageImportRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = "Manage VM images and OCI (container) images.",
        subcommands = {
            ImageCommand.BuildTiny.class,
            ImageCommand.Import.class,
            ImageCommand.Ls.class,
            ImageCommand.Inspect.class,
            ImageCommand.Rm.class,
            OciImageCommands.Load.class,
            OciImageCommands.Tag.class,
            OciImageCommands.Untag.class,
            OciImageCommands.Prune.class
        })
final class ImageCommand {
    private ImageCommand() {}

    @Command(
            name = "build-tiny",
            mixinStandardHelpOptions = true,
            description =
                    "Build the tiny guest (kernel from Debian's cloud kernel, busybox initramfs) as images 'tiny' and 'tiny-disk'.")
    static final class BuildTiny extends ApiCommand {
        @Option(names = "--force", description = "Rebuild even if the images exist (refused while VMs use them).")
        boolean force;

        @Override
        public Integer call() {
            var task = api().post("/api/v1/images/build-tiny" + (force ? "?force=true" : ""), null);
            TaskWaiter.await(api(), task, err(), json());
            return list(api().get("/api/v1/images"));
        }

        int list(JsonNode images) {
            return Ls.print(this, images);
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Import a qcow2, raw, vmdk, vdi, vhdx or ISO disk image as a VM image, or a rootfs tarball as an OCI image.",
                "  vessel image import disk.qcow2 --name web",
                "  vessel image import https://example.org/debian.iso --name debian --sha256 HEX",
                "  vessel image import --rootfs rootfs.tar.gz team/base:1"
            })
    static final class Import extends ApiCommand {
        @Parameters(
                index = "0",
                paramLabel = "FILE|URL|NAME:TAG",
                description = "The disk image; with --rootfs, the new OCI image's name:tag.")
        String arg;

        @Option(
                names = "--rootfs",
                paramLabel = "FILE",
                description = "A rootfs tarball (tar, tar.gz, tar.zst) to import as a one-layer OCI image.")
        Path rootfs;

        @Option(names = "--name", paramLabel = "NAME", description = "The VM image's name (required for a disk image).")
        String name;

        @Option(names = "--format", paramLabel = "FORMAT", description = "The file's format (default: detected).")
        String format;

        @Option(names = "--convert", paramLabel = "FORMAT", description = "Store it as qcow2 or raw.")
        String convert;

        @Option(
                names = "--sha256",
                paramLabel = "HEX",
                description = "For a URL: the SHA-256 the download must have (it is refused otherwise).")
        String sha256;

        @Option(
                names = "--ready-marker",
                paramLabel = "TEXT",
                description = "A line its guest prints on the serial console when up.")
        String readyMarker;

        @Override
        public Integer call() {
            if (rootfs != null) {
                return OciImageCommands.importRootfs(this, rootfs, arg);
            }
            if (name == null) {
                throw new CliError(
                        ExitCodes.USAGE,
                        "a disk image needs --name NAME (or give --rootfs FILE NAME:TAG for an OCI image)");
            }
            boolean url = arg.startsWith("http://") || arg.startsWith("https://");
            var body = url
                    ? new ImageImportRequest(name, null, format, convert, readyMarker, arg, sha256)
                    : new ImageImportRequest(
                            name,
                            CliContext.current().absolute(Path.of(arg)).toString(),
                            format,
                            convert,
                            readyMarker,
                            null,
                            sha256);
            var task = api().send("/api/v1/images/import", body);
            TaskWaiter.await(api(), task, err(), json());
            JsonNode img = api().get("/api/v1/images/" + Api.enc(name));
            if (json()) {
                Output.json(out(), img);
            } else {
                out().println(name + " " + img.path("type").asText() + " "
                        + Output.bytes(img.path("virtualSizeBytes").asLong(-1)) + " ("
                        + Output.bytes(img.path("sizeBytes").asLong()) + " on disk)");
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description =
                    "List VM and OCI images (TYPE says which) of --project's image project (its own, or the default project's).")
    static final class Ls extends ApiCommand {
        @Option(
                names = "--all-projects",
                description = "Images of every project (with a PROJECT column), not only of --project's.")
        boolean allProjects;

        @Override
        public Integer call() {
            String all = allProjects ? "?all-projects=true" : "";
            return OciImageCommands.listBoth(
                    this, api().get("/api/v1/images" + all), api().get("/api/v1/oci-images" + all), allProjects);
        }

        static int print(ApiCommand c, JsonNode images) {
            if (c.json()) {
                Output.json(c.out(), images);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode i : images) {
                rows.add(List.of(
                        i.path("name").asText(),
                        i.path("type").asText(),
                        Output.text(i.path("diskFormat")),
                        i.hasNonNull("virtualSizeBytes")
                                ? Output.bytes(i.path("virtualSizeBytes").asLong())
                                : "-",
                        Output.bytes(i.path("sizeBytes").asLong()),
                        Output.ago(i.path("createdAt").asText()) + " ago"));
            }
            // VIRTUAL is the disk as the guest sees it; ON DISK what the files take here (a qcow2 holds only what was
            // written)
            Output.table(c.out(), List.of("NAME", "TYPE", "DISK", "VIRTUAL", "ON DISK", "CREATED"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = "Show an image: a VM image by name, an OCI image by reference or id.")
    static final class Inspect extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Output.json(
                    out(),
                    OciImageCommands.isVmImage(api(), name)
                            ? api().get("/api/v1/images/" + Api.enc(name))
                            : api().get("/api/v1/oci-images/inspect?ref=" + Api.enc(name)));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description =
                    "Remove VM images no VM uses, or OCI references (the image goes with its last one, unless a container uses it).")
    static final class Rm extends ApiCommand {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            for (String n : names) {
                if (OciImageCommands.isVmImage(api(), n)) {
                    api().delete("/api/v1/images/" + Api.enc(n));
                    out().println(n);
                } else {
                    JsonNode r = api().delete("/api/v1/oci-images?ref=" + Api.enc(n));
                    out().println("Untagged: " + r.path("untagged").asText()
                            + (r.path("deleted").isNull() || r.path("deleted").isMissingNode()
                                    ? ""
                                    : "\nDeleted: " + r.path("deleted").asText()));
                }
            }
            return ExitCodes.OK;
        }
    }
}
