package dev.vessel.engine.vm.windows;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The small FAT disk an unattended Windows setup reads, attached to the VM as a USB stick (as dockur/windows does):
 * {@code autounattend.xml} at its root, the first-logon script in {@code \vessel}, and, with a drivers CD, the virtio
 * drivers for this Windows copied out of it into {@code \drivers} (storage, SCSI, network, balloon, serial), so that
 * Setup loads them before it looks for a disk. Made with Debian's mtools (and xorriso for the CD), each a plain argv.
 * The image and the work files are root's alone; the work files (the answer file holds the password) go as soon as
 * the image is made.
 */
public final class SetupImage {
    public static final String FILE = "setup.img";
    static final List<String> DRIVERS = List.of("viostor", "vioscsi", "NetKVM", "Balloon", "vioserial");
    private static final Duration TOOL = Duration.ofMinutes(2);

    private SetupImage() {}

    /**
     * @param driversIso the drivers CD (virtio-win layout), or null
     * @param driversDir its folder for this Windows, e.g. {@code w11}
     */
    public static Path build(
            ProcessRunner proc, Path dir, String xml, String script, Path driversIso, String driversDir) {
        Path work = dir.resolve(".work");
        Path img = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            AtomicFiles.deleteTree(work);
            Files.createDirectory(
                    work, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path answer = work.resolve("autounattend.xml");
            Files.writeString(answer, xml, StandardCharsets.UTF_8);
            Path logon = work.resolve("firstlogon.cmd");
            Files.writeString(logon, script, StandardCharsets.UTF_8);
            var drivers = new ArrayList<Path>();
            if (driversIso != null) {
                for (String d : DRIVERS) {
                    Path out = work.resolve("drivers").resolve(d);
                    var r = proc.exec(
                            List.of(
                                    "xorriso",
                                    "-osirrox",
                                    "on",
                                    "-indev",
                                    driversIso.toString(),
                                    "-extract",
                                    "/" + d + "/" + driversDir + "/amd64",
                                    out.toString()),
                            TOOL,
                            null,
                            null);
                    if (r.ok() && Files.isDirectory(out)) {
                        drivers.add(out);
                    }
                }
            }
            long size = 32L << 20;
            for (Path d : drivers) {
                size += treeSize(d);
            }
            Files.deleteIfExists(img);
            try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
                f.setLength(((size + (16L << 20)) >> 20) << 20);
            }
            Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("rw-------"));
            run(proc, "mformat", "-i", img.toString(), "-v", "VESSELSETUP", "::");
            run(proc, "mcopy", "-i", img.toString(), answer.toString(), "::/autounattend.xml");
            run(proc, "mmd", "-i", img.toString(), "::/vessel");
            run(proc, "mcopy", "-i", img.toString(), logon.toString(), "::/vessel/firstlogon.cmd");
            if (!drivers.isEmpty()) {
                run(proc, "mmd", "-i", img.toString(), "::/drivers");
                for (Path d : drivers) {
                    run(proc, "mcopy", "-s", "-i", img.toString(), d.toString(), "::/drivers/" + d.getFileName());
                }
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the Windows setup image in " + dir, e);
        } finally {
            AtomicFiles.deleteTree(work);
        }
    }

    private static long treeSize(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            long total = 0;
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(p) + 4096;
            }
            return total;
        }
    }

    private static void run(ProcessRunner proc, String... argv) {
        var r = proc.exec(List.of(argv), TOOL, null, null);
        if (!r.ok()) {
            throw VesselException.host(
                    argv[0] + " could not write the setup image: " + (r.stderr() + r.stdout()).strip(), null);
        }
    }

    /** virtio-win's folder for each Windows. */
    public static String driversDir(dev.vessel.core.model.OsProfile os) {
        return switch (os) {
            case WIN10 -> "w10";
            case WIN11 -> "w11";
            case WIN2019 -> "2k19";
            case WIN2022 -> "2k22";
            case WIN2025 -> "2k25";
            case LINUX -> throw new IllegalArgumentException("linux has its virtio drivers built in");
        };
    }
}
