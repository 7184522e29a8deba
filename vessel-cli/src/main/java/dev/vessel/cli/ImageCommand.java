package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage VM images.",
        subcommands = {ImageCommand.BuildTiny.class, ImageCommand.Import.class, ImageCommand.Ls.class, ImageCommand.Inspect.class,
            ImageCommand.Rm.class})
final class ImageCommand {
    private ImageCommand() {}

    @Command(name = "build-tiny", mixinStandardHelpOptions = true,
            description = "Build the tiny guest (kernel from Debian's cloud kernel, busybox initramfs) as images 'tiny' and 'tiny-disk'.")
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

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Import a qcow2, raw, vmdk, vdi, vhdx or ISO disk image.")
    static final class Import extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--name", required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--format", paramLabel = "FORMAT", description = "The file's format (default: detected).")
        String format;

        @Option(names = "--convert", paramLabel = "FORMAT", description = "Store it as qcow2 or raw.")
        String convert;

        @Option(names = "--ready-marker", paramLabel = "TEXT", description = "A line its guest prints on the serial console when up.")
        String readyMarker;

        @Override
        public Integer call() {
            var body = Api.object().put("name", name).put("path", file.toAbsolutePath().toString());
            if (format != null) {
                body.put("format", format);
            }
            if (convert != null) {
                body.put("convert", convert);
            }
            if (readyMarker != null) {
                body.put("readyMarker", readyMarker);
            }
            var task = api().post("/api/v1/images/import", body);
            TaskWaiter.await(api(), task, err(), json());
            JsonNode img = api().get("/api/v1/images/" + Api.enc(name));
            if (json()) {
                Output.json(out(), img);
            } else {
                out().println(name + " " + img.path("type").asText() + " " + Output.bytes(img.path("sizeBytes").asLong()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List images.")
    static final class Ls extends ApiCommand {
        @Override
        public Integer call() {
            return print(this, api().get("/api/v1/images"));
        }

        static int print(ApiCommand c, JsonNode images) {
            if (c.json()) {
                Output.json(c.out(), images);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode i : images) {
                rows.add(List.of(i.path("name").asText(), i.path("type").asText(), Output.text(i.path("diskFormat")),
                        Output.bytes(i.path("sizeBytes").asLong()), Output.ago(i.path("createdAt").asText()) + " ago"));
            }
            Output.table(c.out(), List.of("NAME", "TYPE", "DISK", "SIZE", "CREATED"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show an image.")
    static final class Inspect extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Output.json(out(), api().get("/api/v1/images/" + Api.enc(name)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove images no VM uses.")
    static final class Rm extends ApiCommand {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            for (String n : names) {
                api().delete("/api/v1/images/" + Api.enc(n));
                out().println(n);
            }
            return ExitCodes.OK;
        }
    }
}
