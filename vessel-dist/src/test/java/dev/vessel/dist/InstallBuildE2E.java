package dev.vessel.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import dev.vessel.http.ApiClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Building again while a daemon runs: scripts/install-build never writes over a jar in use (the daemon of the older
 * build keeps answering, its jar untouched), and scripts/daemon-up, which the demo runs, restarts a daemon of an older
 * build on the new one. Runs in a copy of vessel-dist, with the daemon in a network namespace of its own.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class InstallBuildE2E {
    static final Path SCRIPTS = Path.of("../scripts").toAbsolutePath().normalize();

    record Run(int code, String out) {}

    @Test
    void aRebuildLeavesTheRunningDaemonsJarAloneAndTheDemoRestartsItOnTheNewBuild() throws Exception {
        Path base = Files.createTempDirectory(Path.of("/tmp"), "vi-");
        String ns = "vt-inst-"
                + HexFormat.of()
                        .toHexDigits(ThreadLocalRandom.current().nextInt())
                        .substring(0, 6);
        Path dist = base.resolve("dist");
        Path target = Files.createDirectories(dist.resolve("target"));
        Files.copy(Path.of("target/vessel.jar"), target.resolve("vessel.jar"));
        Files.copy(Path.of("target/vessel-client"), target.resolve("vessel-client"));
        var env = Map.of(
                "VESSEL_DIST",
                dist.toString(),
                "VESSEL_NO_CDS",
                "1",
                "VESSEL_DATA_DIR",
                base.resolve("data").toString(),
                "VESSEL_RUN_DIR",
                base.resolve("run").toString(),
                "VESSEL_DEFAULT_NETWORK",
                "none",
                "VESSEL_DEMO_NETNS",
                ns,
                "VESSEL_DAEMON_LOG",
                base.resolve("daemon.log").toString());
        var api = ApiClient.unix(base.resolve("run/vessel.sock"));
        try {
            Path first = Path.of(run(env, "install-build").out().strip());
            assertThat(first.getFileName().toString()).matches("vessel-[0-9a-f]{16}\\.jar");
            byte[] firstBytes = Files.readAllBytes(first);
            run(env, "daemon-up");
            JsonNode v1 = version(api);
            assertThat(v1.path("build").asText()).isEqualTo(first.getFileName().toString());
            long pid1 = v1.path("pid").asLong();

            // A new build lands in target/ the way Maven writes it: the same file, rewritten in place.
            rewriteInPlace(target.resolve("vessel.jar"));
            Path second = Path.of(run(env, "install-build").out().strip());
            assertThat(second).isNotEqualTo(first);
            assertThat(Files.readSymbolicLink(dist.resolve("installed/current.jar"))
                            .toString())
                    .isEqualTo(second.getFileName().toString());
            // The running daemon's jar is where it was, byte for byte, and the daemon still loads classes from it.
            assertThat(Files.readAllBytes(first)).isEqualTo(firstBytes);
            for (String path : List.of(
                    "/api/v1/host",
                    "/api/v1/images",
                    "/api/v1/tasks",
                    "/api/v1/networks",
                    "/api/v1/stats",
                    "/metrics")) {
                assertThat(api.call("GET", path, null).status()).as(path).isEqualTo(200);
            }
            assertThat(version(api).path("pid").asLong()).isEqualTo(pid1);

            // The demo's daemon-up sees the older build and restarts the daemon on the new one.
            String said = run(env, "daemon-up").out();
            assertThat(said).contains("runs build " + first.getFileName() + ", not " + second.getFileName());
            JsonNode v2 = version(api);
            assertThat(v2.path("build").asText()).isEqualTo(second.getFileName().toString());
            assertThat(v2.path("pid").asLong()).isNotEqualTo(pid1);
            assertThat(ProcessHandle.of(pid1)).isEmpty();
            // Run again with the current build up: nothing to do.
            assertThat(run(env, "daemon-up").out()).isEmpty();
            assertThat(version(api).path("pid").asLong())
                    .isEqualTo(v2.path("pid").asLong());

            // No process has the first build open any more: the next install removes it.
            run(env, "install-build");
            assertThat(first).doesNotExist();
            assertThat(second).exists();
        } finally {
            try {
                var r = api.call("GET", "/api/v1/version", null);
                if (r.ok()) {
                    long pid = Json.tree(r.text()).path("pid").asLong();
                    ProcessHandle.of(pid).ifPresent(p -> {
                        p.destroy();
                        p.onExit().orTimeout(15, TimeUnit.SECONDS).join();
                    });
                }
            } catch (RuntimeException e) {
                // no daemon
            }
            new ProcessBuilder("ip", "netns", "delete", ns).start().waitFor();
            AtomicFiles.deleteTree(base);
        }
    }

    static JsonNode version(ApiClient api) {
        var r = api.call("GET", "/api/v1/version", null);
        assertThat(r.status()).isEqualTo(200);
        return Json.tree(r.text());
    }

    /** A different, valid jar written over the old file's bytes: truncated and rewritten, as Maven's shade plugin does. */
    static void rewriteInPlace(Path jar) throws IOException {
        var copy = new java.io.ByteArrayOutputStream();
        try (var in = new JarFile(jar.toFile());
                var out = new JarOutputStream(copy)) {
            for (var e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                try (var data = in.getInputStream(e)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("META-INF/vessel-test-rebuild"));
            out.write("a rebuild\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (OutputStream o = Files.newOutputStream(jar)) {
            copy.writeTo(o);
        }
    }

    static Run run(Map<String, String> env, String script) throws Exception {
        var pb = new ProcessBuilder(SCRIPTS.resolve(script).toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(script + " said: " + out).isZero();
        return new Run(p.exitValue(), out);
    }
}
