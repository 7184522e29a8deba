package dev.vessel.storage.cloudinit;

import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a NoCloud seed: the documents go to {@code <dir>/user-data}, {@code meta-data} and {@code network-config}
 * (kept, so a clone can rebuild its seed with a new instance id) and into {@code <dir>/seed.iso}, an ISO 9660 volume
 * labelled {@code cidata} made by xorriso, which the VM gets as a read-only CD-ROM.
 */
public final class CloudInitSeed {
    public static final String ISO = "seed.iso";
    public static final List<String> DOCUMENTS = List.of("user-data", "meta-data", "network-config");
    private static final String XORRISO = "/usr/bin/xorriso";

    private final ProcessRunner proc;

    public CloudInitSeed(ProcessRunner proc) {
        this.proc = proc;
    }

    /** Writes the documents and the ISO; returns the ISO. The ISO is made under a temporary name and renamed. */
    public Path build(Path dir, CloudInitConfig config) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.writePrivate(dir.resolve("user-data"), config.userData());
            AtomicFiles.writePrivate(dir.resolve("meta-data"), config.metaData());
            Files.deleteIfExists(dir.resolve("network-config"));
            if (config.networkConfig() != null) {
                AtomicFiles.writePrivate(dir.resolve("network-config"), config.networkConfig());
            }
            return buildIso(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cloud-init seed in " + dir, e);
        }
    }

    /** The documents kept in {@code dir}, if there is a seed there. */
    public static Optional<CloudInitConfig> read(Path dir) {
        try {
            if (!Files.isRegularFile(dir.resolve("user-data")) || !Files.isRegularFile(dir.resolve("meta-data"))) {
                return Optional.empty();
            }
            Path net = dir.resolve("network-config");
            return Optional.of(new CloudInitConfig(
                    Files.readString(dir.resolve("user-data")),
                    Files.readString(dir.resolve("meta-data")),
                    Files.isRegularFile(net) ? Files.readString(net) : null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cloud-init seed in " + dir, e);
        }
    }

    private Path buildIso(Path dir) throws IOException {
        Path iso = dir.resolve(ISO);
        Path tmp = dir.resolve("." + ISO + ".partial");
        Files.deleteIfExists(tmp);
        var argv = new ArrayList<>(List.of(
                XORRISO,
                "-as",
                "mkisofs",
                "-quiet",
                "-output",
                tmp.toString(),
                "-volid",
                "cidata",
                "-joliet",
                "-rock",
                "-graft-points"));
        for (String doc : DOCUMENTS) {
            if (Files.isRegularFile(dir.resolve(doc))) {
                argv.add(doc + "=" + dir.resolve(doc));
            }
        }
        try {
            proc.run(argv, Duration.ofMinutes(1));
            Files.move(tmp, iso, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return iso;
    }
}
