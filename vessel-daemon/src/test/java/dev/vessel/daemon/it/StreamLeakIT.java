package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * 1,000 streaming clients that connect and go away mid-stream — events followed, stats streamed, a container's log
 * followed, a task waited on — leave the daemon with the threads and file descriptors it had before; unknown names and
 * bad parameters on the streams are refused before any stream starts.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class StreamLeakIT {
    static DaemonProcess daemon;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess().start();
        work = Files.createTempDirectory(Path.of("/tmp"), "vleak-");
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    static long fds() throws Exception {
        try (var s = Files.list(Path.of("/proc/" + daemon.pid() + "/fd"))) {
            return s.count();
        }
    }

    static long threads() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + daemon.pid() + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring(8).strip());
            }
        }
        throw new AssertionError("no Threads: line");
    }

    @Test
    void aThousandDroppedStreamsLeaveNoThreadOrDescriptorBehind() throws Exception {
        String image = ContainerSupport.load(
                daemon,
                work,
                "test/leak:1",
                t -> t.set("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"))
                        .set("Cmd", List.of("sh", "-c", "while :; do echo tick; sleep 1; done")));
        ContainerSupport.create(daemon, "{\"name\":\"ticker\",\"image\":\"" + image + "\"}");
        ContainerSupport.start(daemon, "ticker");
        String task = daemon.get("/api/v1/tasks").get(0).path("id").asText();
        // warm up every kind once, so lazily made pools and classes count in the baseline
        List<String> paths = List.of(
                "/api/v1/events?follow=true",
                "/api/v1/stats?stream=true",
                "/api/v1/instances/ticker/logs?follow=true",
                "/api/v1/tasks/" + task + "/wait?timeout=30");
        for (String p : paths) {
            daemon.client().stream("GET", p).close();
        }
        Thread.sleep(20_000);
        long fds0 = fds();
        long threads0 = threads();

        for (int i = 0; i < 1000; i++) {
            var s = daemon.client().stream("GET", paths.get(i % paths.size()));
            assertThat(s.status()).isEqualTo(200);
            if (i % 3 == 0) {
                s.body().read(); // some leave after the first bytes, the others before
            }
            s.close();
        }

        // the daemon notices a gone client at its next write: within the events' 15 s keep-alive
        long fds = 0;
        long threads = 0;
        for (int i = 0; i < 60; i++) {
            fds = fds();
            threads = threads();
            if (fds <= fds0 + 2 && threads <= threads0 + 2) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(fds)
                .as("open descriptors after 1000 dropped streams (baseline %d)", fds0)
                .isLessThanOrEqualTo(fds0 + 2);
        assertThat(threads)
                .as("threads after 1000 dropped streams (baseline %d)", threads0)
                .isLessThanOrEqualTo(threads0 + 2);

        // bad input on the streams: refused before streaming
        assertThat(daemon.client()
                        .call("GET", "/api/v1/stats?stream=maybe", null)
                        .status())
                .isEqualTo(400);
        assertThat(daemon.client()
                        .call("GET", "/api/v1/stats?stream=true&name=nosuch", null)
                        .status())
                .isEqualTo(404);
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/nosuch/stats?stream=true", null)
                        .status())
                .isEqualTo(404);
        assertThat(daemon.client()
                        .call("GET", "/api/v1/events?since=-4&follow=true", null)
                        .status())
                .isEqualTo(400);
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/nosuch/logs?follow=true", null)
                        .status())
                .isEqualTo(404);
    }
}
