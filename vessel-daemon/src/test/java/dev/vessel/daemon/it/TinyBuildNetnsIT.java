package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The main job's path on a fresh machine: a daemon in a network namespace with no route out (as scripts/demo runs
 * it) and empty caches builds the tiny image, because the packages are downloaded in the host's namespace.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@Timeout(900)
class TinyBuildNetnsIT {
    final ProcessRunner runner = new ProcessRunner();

    @Test
    void buildTinyWorksFromADaemonInANamespaceWithNoRouteAndEmptyCaches() throws Exception {
        String ns = "vt-noroute-"
                + HexFormat.of()
                        .toHexDigits(ThreadLocalRandom.current().nextInt())
                        .substring(0, 6);
        Path cache = Files.createTempDirectory(Path.of("/tmp"), "vt-cache-");
        runner.run(Duration.ofSeconds(30), "ip", "netns", "add", ns);
        try {
            runner.run(Duration.ofSeconds(30), "ip", "-n", ns, "link", "set", "lo", "up");
            // The namespace really has no way out: apt cannot even resolve the mirror from there.
            var direct = runner.exec(
                    List.of("nsenter", "--net=/run/netns/" + ns, "--", "getent", "hosts", "deb.debian.org"),
                    Duration.ofSeconds(30),
                    null,
                    null);
            assertThat(direct.ok())
                    .as("deb.debian.org resolves inside the namespace")
                    .isFalse();
            assertThat(runner.exec(List.of("ip", "-n", ns, "route", "show"), Duration.ofSeconds(10), null, null)
                            .stdout())
                    .isBlank();

            try (var d = DaemonProcess.inNetns(ns, "--default-network", "none", "--cache-dir", cache.toString())) {
                d.start();
                JsonNode task = d.okTask("/api/v1/images/build-tiny", null);
                assertThat(task.path("state").asText()).isEqualTo("succeeded");
                JsonNode image = d.get("/api/v1/images/tiny");
                assertThat(image.path("name").asText()).isEqualTo("tiny");
                // It was built here from scratch, not taken from a cache of earlier runs.
                try (Stream<Path> debs = Files.list(cache.resolve("debs"))) {
                    assertThat(debs.map(p -> p.getFileName().toString()))
                            .anyMatch(n -> n.startsWith("linux-image-") && n.endsWith(".deb"))
                            .anyMatch(n -> n.startsWith("busybox-static_") && n.endsWith(".deb"));
                }
                assertThat(cache.resolve("tiny/vmlinuz")).isRegularFile();
                String log = d.get("/api/v1/tasks/" + task.path("id").asText() + "/log")
                        .toString();
                assertThat(log).contains("downloading linux-image-");
            }
        } finally {
            runner.exec(List.of("ip", "netns", "delete", ns), Duration.ofSeconds(30), null, null);
            AtomicFiles.deleteTree(cache);
        }
    }
}
