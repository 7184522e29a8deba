package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.BackupRequest;
import dev.vessel.model.RestoreRequest;
import dev.vessel.model.VerifyRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description =
                "Back up VMs (also while they run) into zstd-compressed archives with checksums, and restore them.",
        subcommands = {
            BackupCommand.Create.class,
            BackupCommand.Ls.class,
            BackupCommand.Verify.class,
            BackupCommand.Restore.class
        })
final class BackupCommand {
    private BackupCommand() {}

    /** A path (made absolute: the daemon resolves it) or an archive name from `backup ls`. */
    static String archive(String a) {
        return a.contains("/") ? CliContext.current().absolute(Path.of(a)).toString() : a;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Back up a VM. A running VM keeps running: its disks are copied as of one instant.",
                "  vessel backup create web",
                "  vessel backup create web --to /srv/backups/web.vessel.tar"
            })
    static final class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "VM")
        String vm;

        @Option(names = "--to", paramLabel = "FILE", description = "Write the archive here (on the daemon's host).")
        Path to;

        @Option(names = "--pool", paramLabel = "POOL", description = "Keep it in this pool's backups (default local).")
        String pool;

        @Override
        public Integer call() {
            var body = new BackupRequest(
                    to == null ? null : CliContext.current().absolute(to).toString(), pool);
            var t = TaskWaiter.await(
                    api(), api().send("/api/v1/instances/" + Api.enc(vm) + "/backup", body), err(), json());
            out().println(json() ? t.toString() : t.path("message").asText());
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the archives in the pools' backups.")
    static final class Ls extends ApiCommand {
        @Option(names = "--pool", paramLabel = "POOL")
        String pool;

        @Override
        public Integer call() {
            JsonNode list = api().get("/api/v1/backups" + (pool == null ? "" : "?pool=" + Api.enc(pool)));
            if (json()) {
                Output.json(out(), list);
                return ExitCodes.OK;
            }
            var rows = new ArrayList<List<String>>();
            for (JsonNode b : list) {
                rows.add(List.of(
                        b.path("archive").asText(),
                        b.path("pool").asText(),
                        b.path("vm").asText(),
                        b.path("live").asBoolean() ? "running" : "stopped",
                        String.valueOf(b.path("disks").asInt()),
                        Output.bytes(b.path("sizeBytes").asLong()),
                        Output.ago(b.path("createdAt").asText()) + " ago"));
            }
            Output.table(out(), List.of("ARCHIVE", "POOL", "VM", "TAKEN", "DISKS", "SIZE", "CREATED"), rows);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Check every byte of an archive against its checksums.")
    static final class Verify extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ARCHIVE", description = "A path, or a name from `vessel backup ls`.")
        String archive;

        @Override
        public Integer call() {
            var t = TaskWaiter.await(
                    api(), api().send("/api/v1/backups/verify", new VerifyRequest(archive(archive))), err(), json());
            out().println(json() ? t.toString() : t.path("message").asText());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = {
                "Restore an archive as a new VM (new id, MAC and SMBIOS UUID).",
                "  vessel backup restore web-20250101-120000.vessel.tar --name web2"
            })
    static final class Restore extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ARCHIVE", description = "A path, or a name from `vessel backup ls`.")
        String archive;

        @Option(names = "--name", paramLabel = "NEW", description = "The new VM's name (default: the backed-up VM's).")
        String name;

        @Override
        public Integer call() {
            var t = TaskWaiter.await(
                    api(),
                    api().send("/api/v1/backups/restore", new RestoreRequest(archive(archive), name)),
                    err(),
                    json());
            out().println(json() ? t.toString() : t.path("message").asText());
            return ExitCodes.OK;
        }
    }
}
