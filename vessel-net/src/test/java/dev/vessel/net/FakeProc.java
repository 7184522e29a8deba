package dev.vessel.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A directory shaped like /proc: {@code PID/cmdline} and the {@code PID/ns/net} link. */
final class FakeProc {
    final Path root;

    FakeProc(Path root) {
        this.root = root;
    }

    FakeProc process(long pid, String netns, String... argv) throws IOException {
        Path p = root.resolve(Long.toString(pid));
        Files.createDirectories(p.resolve("ns"));
        Files.write(p.resolve("cmdline"), (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(p.resolve("ns/net"), Path.of(netns));
        return this;
    }

    void exit(long pid) throws IOException {
        dev.vessel.host.AtomicFiles.deleteTree(root.resolve(Long.toString(pid)));
    }

    ProcFs procFs() {
        return new ProcFs(root);
    }

    static List<String> argv(DnsmasqFiles f) {
        return f.argv();
    }
}
