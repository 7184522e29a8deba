package dev.vessel.daemon.it;

import dev.vessel.qemu.image.FsTree;
import dev.vessel.qemu.image.NewcArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The tiny guest with Debian's qemu-guest-agent: the package's qemu-ga and the shared libraries it links (this Debian
 * 12 host's own, the same release the package is built for) as a second initramfs archive after the tiny one; the
 * kernel unpacks both, and the tiny init starts qemu-ga when it finds it. The .deb is kept in the host's package cache.
 */
final class AgentGuest {
    static final Path DEBS = Path.of("/var/cache/vessel/test-debs");
    private static final Pattern LIB = Pattern.compile("(/\\S+) \\(0x[0-9a-f]+\\)");

    private AgentGuest() {}

    /** Writes the tiny initrd with qemu-ga added into {@code dir} and returns its path. */
    static Path initrd(Path tinyInitrd, Path dir) throws IOException, InterruptedException {
        Path deb = deb();
        Path x = dir.resolve("qga");
        EspImages.run(List.of("dpkg-deb", "-x", deb.toString(), x.toString()));
        Path qga = x.resolve("usr/sbin/qemu-ga");
        var tree = new FsTree();
        tree.file("/usr/sbin/qemu-ga", 0755, Files.readAllBytes(qga));
        for (String line : EspImages.run(List.of("ldd", qga.toString())).lines().toList()) {
            var m = LIB.matcher(line);
            if (m.find()) {
                String lib = m.group(1);
                tree.file(lib, 0755, Files.readAllBytes(Path.of(lib).toRealPath()));
            }
        }
        byte[] tiny = Files.readAllBytes(tinyInitrd);
        byte[] extra = NewcArchive.writeGzip(tree);
        Path out = dir.resolve("initrd-qga.img");
        try (var o = Files.newOutputStream(out)) {
            o.write(tiny);
            o.write(extra);
        }
        return out;
    }

    /** Debian's qemu-guest-agent .deb for this host, downloaded once with apt-get. */
    static Path deb() throws IOException, InterruptedException {
        Files.createDirectories(DEBS);
        try (var s = Files.list(DEBS)) {
            var have = s.filter(p -> p.getFileName().toString().startsWith("qemu-guest-agent_")
                            && p.toString().endsWith(".deb"))
                    .findFirst();
            if (have.isPresent()) {
                return have.get();
            }
        }
        var p = new ProcessBuilder("apt-get", "download", "qemu-guest-agent")
                .directory(DEBS.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("apt-get download qemu-guest-agent failed: " + out);
        }
        return deb();
    }
}
