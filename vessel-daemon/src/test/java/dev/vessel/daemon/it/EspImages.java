package dev.vessel.daemon.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * EFI system partitions made by the tests from Debian packages: an unsigned GRUB (grub-mkimage from grub-efi-amd64-bin)
 * as the removable-media loader {@code /EFI/BOOT/BOOTX64.EFI} of a FAT image (mtools), with its configuration built in.
 * OVMF boots it without Secure Boot and must refuse it with.
 */
final class EspImages {
    static final String GRUB_MARKER = "VESSEL-GRUB-EFI";

    private EspImages() {}

    /** An ESP whose GRUB prints {@link #GRUB_MARKER} on the serial port, then boots {@code kernel} with {@code initrd}. */
    static Path linux(Path dir, Path kernel, Path initrd, String cmdline) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path cfg = dir.resolve("grub.cfg");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "serial --unit=0 --speed=115200",
                        "terminal_output serial",
                        "echo " + GRUB_MARKER,
                        "linux /vmlinuz " + cmdline,
                        "initrd /initrd.img",
                        "boot",
                        ""),
                StandardCharsets.UTF_8);
        Path efi = dir.resolve("BOOTX64.EFI");
        run(List.of(
                "grub-mkimage",
                "-O",
                "x86_64-efi",
                "-o",
                efi.toString(),
                "-p",
                "/EFI/BOOT",
                "-c",
                cfg.toString(),
                "normal",
                "linux",
                "fat",
                "echo",
                "serial",
                "terminal",
                "configfile",
                "boot"));
        Path img = dir.resolve("esp.img");
        Files.deleteIfExists(img);
        run(List.of("truncate", "-s", "64M", img.toString()));
        run(List.of("mformat", "-i", img.toString(), "-v", "VESSELESP", "::"));
        run(List.of("mmd", "-i", img.toString(), "::/EFI", "::/EFI/BOOT"));
        run(List.of("mcopy", "-i", img.toString(), efi.toString(), "::/EFI/BOOT/BOOTX64.EFI"));
        run(List.of("mcopy", "-i", img.toString(), kernel.toString(), "::/vmlinuz"));
        run(List.of("mcopy", "-i", img.toString(), initrd.toString(), "::/initrd.img"));
        return img;
    }

    /**
     * A bootable ISO made with grub-mkrescue (El Torito for UEFI, from grub-efi-amd64-bin, and xorriso): GRUB prints
     * {@code marker} on the serial port, then boots the kernel and initrd on the disc.
     */
    static Path iso(Path dir, String marker, Path kernel, Path initrd, String cmdline)
            throws IOException, InterruptedException {
        Path tree = dir.resolve("tree-" + marker);
        Files.createDirectories(tree.resolve("boot/grub"));
        Files.writeString(
                tree.resolve("boot/grub/grub.cfg"),
                String.join(
                        "\n",
                        "serial --unit=0 --speed=115200",
                        "terminal_output serial",
                        "echo " + marker,
                        "linux /vmlinuz " + cmdline,
                        "initrd /initrd.img",
                        "boot",
                        ""),
                StandardCharsets.UTF_8);
        Files.copy(kernel, tree.resolve("vmlinuz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(initrd, tree.resolve("initrd.img"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path iso = dir.resolve(marker.toLowerCase(java.util.Locale.ROOT) + ".iso");
        run(List.of("grub-mkrescue", "-o", iso.toString(), tree.toString()));
        return iso;
    }

    static String run(List<String> argv) throws IOException, InterruptedException {
        var p = new ProcessBuilder(new ArrayList<>(argv))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed: " + out);
        }
        return out;
    }
}
