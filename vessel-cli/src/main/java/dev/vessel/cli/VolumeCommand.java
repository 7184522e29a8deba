package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.AttachRequest;
import dev.vessel.model.VolumeCreateRequest;
import dev.vessel.model.VolumeImportRequest;
import dev.vessel.model.VolumeResizeRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "volume",
        mixinStandardHelpOptions = true,
        description = "Manage volumes: disks in storage pools that VMs attach.",
        subcommands = {
            VolumeCommand.Create.class,
            VolumeCommand.Ls.class,
            VolumeCommand.Inspect.class,
            VolumeCommand.Resize.class,
            VolumeCommand.Rm.class,
            VolumeCommand.Attach.class,
            VolumeCommand.Detach.class,
            VolumeCommand.Import.class
        })
final class VolumeCommand {
    private VolumeCommand() {}

    static void print(ApiCommand c, JsonNode v) {
        if (c.json()) {
            Output.json(c.out(), v);
        } else {
            c.out()
                    .println(v.path("name").asText() + " " + v.path("format").asText() + " "
                            + Output.bytes(v.path("virtualSize").asLong()) + " in pool "
                            + v.path("pool").asText()
                            + (v.path("attachedTo").isTextual()
                                    ? ", attached to " + v.path("attachedTo").asText()
                                    : ""));
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create an empty volume.",
                "  vessel volume create data --size 10G",
                "  vessel volume create fast --size 4G --format raw --prealloc falloc"
            })
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(
                names = {"-s", "--size"},
                required = true,
                paramLabel = "SIZE",
                description = "Virtual size, e.g. 10G.")
        String size;

        @Option(names = "--format", paramLabel = "FORMAT", description = "qcow2 (default: snapshots, thin) or raw.")
        String format;

        @Option(
                names = "--prealloc",
                paramLabel = "MODE",
                description = "off/sparse (default), metadata, falloc/preallocated, full.")
        String prealloc;

        @Option(names = "--pool", paramLabel = "POOL", description = "Pool (default local).")
        String pool;

        @Override
        public Integer call() {
            print(this, api().send("/api/v1/volumes", new VolumeCreateRequest(name, pool, size, format, prealloc)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List volumes.")
    static final class Ls extends ApiCommand {
        @Option(names = "--pool", paramLabel = "POOL")
        String pool;

        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/volumes" + (pool == null ? "" : "?pool=" + Api.enc(pool)));
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode v : list) {
                rows.add(List.of(
                        v.path("name").asText(),
                        v.path("pool").asText(),
                        v.path("format").asText(),
                        Output.bytes(v.path("virtualSize").asLong()),
                        Output.bytes(v.path("allocatedSize").asLong()),
                        Output.text(v.path("attachedTo"))));
            }
            Output.table(out(), List.of("NAME", "POOL", "FORMAT", "SIZE", "USED", "ATTACHED TO"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show a volume.")
    static final class Inspect extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Output.json(out(), api().get("/api/v1/volumes/" + Api.enc(name)));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "resize",
            mixinStandardHelpOptions = true,
            description = {
                "Grow a volume (live when its VM runs); shrink only with --force.",
                "  vessel volume resize data 20G",
                "  vessel volume resize data +5G"
            })
    static final class Resize extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SIZE", description = "New size, or +DELTA.")
        String size;

        @Option(names = "--force", description = "Allow shrinking (the data past the new end is lost).")
        boolean force;

        @Override
        public Integer call() {
            print(
                    this,
                    api().send("/api/v1/volumes/" + Api.enc(name) + "/resize", new VolumeResizeRequest(size, force)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove volumes no VM has attached.")
    static final class Rm extends ApiCommand {
        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        @Override
        public Integer call() {
            int rc = ExitCodes.OK;
            for (String n : names) {
                try {
                    api().delete("/api/v1/volumes/" + Api.enc(n));
                    out().println(n);
                } catch (CliError e) {
                    err().println("vessel: " + e.getMessage());
                    rc = e.exitCode();
                }
            }
            return rc;
        }
    }

    @Command(
            name = "attach",
            mixinStandardHelpOptions = true,
            description = "Attach a volume to a VM; hot-plugged if the VM runs.")
    static final class Attach extends ApiCommand {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Parameters(index = "1", paramLabel = "VOLUME")
        String volume;

        @Option(names = "--read-only", description = "The guest cannot write it.")
        boolean readOnly;

        @Override
        public Integer call() {
            print(
                    this,
                    api().send("/api/v1/instances/" + Api.enc(vm) + "/volumes", new AttachRequest(volume, readOnly)));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "detach",
            mixinStandardHelpOptions = true,
            description = "Detach a volume from a VM; unplugged if the VM runs.")
    static final class Detach extends ApiCommand {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Parameters(index = "1", paramLabel = "VOLUME")
        String volume;

        @Override
        public Integer call() {
            api().delete("/api/v1/instances/" + Api.enc(vm) + "/volumes/" + Api.enc(volume));
            out().println(volume);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Import a qcow2, raw, vmdk, vhdx, vdi or ISO image as a volume, from a file on the daemon's host or an http(s) URL.",
                "A download that fails is resumed by running the same command again.",
                "  vessel volume import disk /srv/images/debian.vmdk",
                "  vessel volume import deb --url https://example.org/debian.qcow2 --sha256 9f86d0..."
            })
    static final class Import extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @ArgGroup(multiplicity = "1")
        Source source;

        static final class Source {
            @Parameters(index = "1", paramLabel = "FILE", description = "An image file (on the daemon's host).")
            Path file;

            @Option(names = "--url", paramLabel = "URL", description = "Download it from this http(s) URL.")
            String url;
        }

        @Option(names = "--sha256", paramLabel = "HEX", description = "With --url: the SHA-256 the download must have.")
        String sha256;

        @Option(names = "--format", paramLabel = "FORMAT", description = "The image's format (default: detected).")
        String format;

        @Option(
                names = "--to-format",
                paramLabel = "FORMAT",
                description = "Store it as qcow2 or raw (default qcow2; raw and ISO stay raw).")
        String toFormat;

        @Option(names = "--pool", paramLabel = "POOL")
        String pool;

        @Override
        public Integer call() {
            var body = new VolumeImportRequest(
                    name,
                    pool,
                    source.file == null
                            ? null
                            : CliContext.current().absolute(source.file).toString(),
                    source.url,
                    sha256,
                    format,
                    toFormat);
            var task = api().send("/api/v1/volumes/import", body);
            var done = TaskWaiter.await(api(), task, err(), json());
            if (!json()) {
                err().println(done.path("message").asText());
            }
            print(this, api().get("/api/v1/volumes/" + Api.enc(name)));
            return ExitCodes.OK;
        }
    }
}
