package dev.vessel.daemon.it;

import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.image.DebianPackages;
import dev.vessel.qemu.image.FsTree;
import dev.vessel.qemu.image.NewcArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The tiny guest with Debian's own systemd-udevd (udev 252, the stock rules and 99-default.link): an initramfs made
 * of the tiny one with a second archive appended, whose /init starts udevd, lets it name the NICs as a Debian 12
 * guest would, prints {@code VESSEL-NICS: <names>} and goes on as the tiny guest. udevd stays up, so a NIC plugged in
 * later is named too.
 */
final class UdevGuest {
    private UdevGuest() {}

    static final String INIT = """
            #!/bin/sh
            export PATH=/sbin:/usr/sbin:/bin:/usr/bin
            mount -t proc proc /proc
            mount -t sysfs sysfs /sys
            mount -t devtmpfs devtmpfs /dev
            mkdir -p /run && mount -t tmpfs -o mode=0755 tmpfs /run
            if [ -f /etc/vessel/modules ]; then
                while read -r ko; do [ -n "$ko" ] && insmod "$ko" 2>/dev/null; done < /etc/vessel/modules
            fi
            /lib/systemd/systemd-udevd --daemon
            udevadm trigger --action=add --subsystem-match=net
            udevadm settle -t 30
            echo "VESSEL-NICS: $(ls /sys/class/net | tr '\\n' ' ')"
            exec /sbin/tiny-init
            """;

    /** Writes the initramfs next to the tiny image's into {@code dir} and returns it. */
    static Path build(Path tinyInitrd, Path dir) throws IOException {
        var runner = new ProcessRunner();
        var packages = new DebianPackages(runner, Path.of("/var/cache/vessel/debs"));
        Path udev = Files.createDirectories(dir.resolve("udev"));
        packages.unpack(packages.fetch(packages.candidate("udev")), udev);
        var t = new FsTree();
        Path udevadm = udev.resolve("bin/udevadm");
        t.file("/bin/udevadm", 0755, Files.readAllBytes(udevadm));
        t.symlink("/lib/systemd/systemd-udevd", "/bin/udevadm");
        copyDir(t, udev.resolve("lib/udev/rules.d"), "/lib/udev/rules.d");
        copyDir(t, udev.resolve("lib/systemd/network"), "/lib/systemd/network");
        // udevadm is dynamically linked: the host's Debian 12 libraries are the ones a Debian 12 guest has.
        String ldd =
                runner.run(Duration.ofSeconds(30), "ldd", udevadm.toString()).stdout();
        for (String line : ldd.lines().toList()) {
            String[] parts = line.strip().split("\\s+");
            String lib =
                    parts.length >= 3 && parts[1].equals("=>") ? parts[2] : parts[0].startsWith("/") ? parts[0] : null;
            if (lib != null && lib.startsWith("/")) {
                t.file(lib, 0755, Files.readAllBytes(Path.of(lib).toRealPath()));
            }
        }
        t.file("/init", 0755, INIT);
        try (InputStream in = dev.vessel.qemu.image.TinyImageBuilder.class.getResourceAsStream("/tiny/init")) {
            t.file("/sbin/tiny-init", 0755, in.readAllBytes());
        }
        var out = new ByteArrayOutputStream();
        out.write(Files.readAllBytes(tinyInitrd));
        out.write(NewcArchive.writeGzip(t));
        Path initrd = dir.resolve("udev-initrd.img");
        Files.write(initrd, out.toByteArray());
        return initrd;
    }

    private static void copyDir(FsTree t, Path from, String to) throws IOException {
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    t.file(to + "/" + p.getFileName(), 0644, Files.readAllBytes(p));
                }
            }
        }
    }
}
