package dev.vessel.qemu.accel;

import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The probe kernel that ships inside Vessel ({@code src/main/asm/kvm-probe.S}, assembled by the build): a multiboot
 * kernel that enters long mode with paging, touches 32 MiB, makes 1,000 port I/O exits, prints {@link #MARKER} and
 * ends QEMU with {@link #PASSED}. So the probe needs nothing from the user: no tiny image, no download.
 */
public final class ProbeKernel {
    public static final String MARKER = "VESSEL-KVM-PROBE-OK";
    /** isa-debug-exit turns the probe's value 0x10 into QEMU's exit status (0x10 << 1) | 1. */
    public static final int PASSED = 33;

    static final String RESOURCE = "kvm-probe.elf";

    private ProbeKernel() {}

    /** Writes the probe kernel to {@code dir/kvm-probe.elf} unless the same bytes are there, and returns its path. */
    public static Path materialize(Path dir) {
        byte[] bytes = bytes();
        Path file = dir.resolve(RESOURCE);
        try {
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
                return file;
            }
            Files.createDirectories(dir);
            AtomicFiles.write(file, bytes, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the KVM probe kernel to " + file, e);
        }
    }

    static byte[] bytes() {
        try (InputStream in = ProbeKernel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the KVM probe kernel " + RESOURCE + " is missing from the build (gcc assembles it)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
