package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.ContainerSupport.attach;
import static dev.vessel.daemon.it.ContainerSupport.awaitStatus;
import static dev.vessel.daemon.it.ContainerSupport.create;
import static dev.vessel.daemon.it.ContainerSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Restart policies, and containers that outlive a SIGKILLed daemon: adopted, exit codes kept, logs -f and attach. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class ContainerRestartIT {
    DaemonProcess daemon;
    Path work;
    String image;

    @BeforeEach
    void daemonWithAnImage() throws Exception {
        daemon = new DaemonProcess().start();
        work = Files.createTempDirectory(Path.of("/tmp"), "vcr-");
        image = ContainerSupport.load(daemon, work, "test/busybox:1", t -> t.set("User", "0"));
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    String body(String name, String restart, String script, String extra) {
        return "{\"name\":\"" + name + "\",\"image\":\"" + image + "\",\"restart\":\"" + restart
                + "\",\"command\":[\"sh\",\"-c\",\"" + script + "\"]" + extra + "}";
    }

    long events(String type, String name) {
        int n = 0;
        for (JsonNode e : daemon.get("/api/v1/events?since=0")) {
            if (e.path("type").asText().equals(type)
                    && name.equals(e.path("name").asText())) {
                n++;
            }
        }
        return n;
    }

    void awaitEvents(String type, String name, long count, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (events(type, name) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        count + " '" + type + "' events for " + name + " expected, saw " + events(type, name));
            }
            Thread.sleep(100);
        }
    }

    @Test
    void onFailureRestartsAFailingProcessUpToItsLimit() throws Exception {
        create(daemon, body("flaky", "on-failure:2", "echo run; exit 1", ""));
        start(daemon, "flaky");
        awaitEvents("restart-gave-up", "flaky", 1, Duration.ofSeconds(30));
        assertThat(events("restarting", "flaky")).isEqualTo(2);
        assertThat(ContainerSupport.logs(daemon, "flaky")).isEqualTo("run\nrun\nrun\n");
        assertThat(daemon.instance("flaky").path("state").path("exitCode").asInt())
                .isEqualTo(1);

        create(daemon, body("fine", "on-failure", "exit 0", ""));
        start(daemon, "fine");
        awaitStatus(daemon, "fine", "stopped", Duration.ofSeconds(10));
        Thread.sleep(1000);
        assertThat(events("restarting", "fine")).isZero();
    }

    @Test
    void anOnFailureLimitCountsRestartsAcrossADaemonKill() throws Exception {
        create(daemon, body("stubborn", "on-failure:3", "echo run; sleep 0.3; exit 1", ""));
        start(daemon, "stubborn");
        awaitEvents("restarting", "stubborn", 1, Duration.ofSeconds(30));
        // killed once the first restart runs (a kill in the middle of a start would make that attempt count, unseen)
        for (int i = 0; i < 100 && !ContainerSupport.logs(daemon, "stubborn").equals("run\nrun\n"); i++) {
            Thread.sleep(20);
        }
        daemon.kill9();
        daemon.start();
        awaitEvents("restart-gave-up", "stubborn", 1, Duration.ofSeconds(60));
        Thread.sleep(1500);
        assertThat(events("restarting", "stubborn"))
                .as("restarts before and after the daemon's SIGKILL, together")
                .isEqualTo(3);
        assertThat(ContainerSupport.logs(daemon, "stubborn")).isEqualTo("run\nrun\nrun\nrun\n");
    }

    @Test
    void alwaysAndUnlessStoppedRestartAnyEndButNotAStop() throws Exception {
        create(daemon, body("loop", "always", "sleep 0.3; exit 0", ""));
        create(daemon, body("loop2", "unless-stopped", "sleep 0.3; exit 2", ""));
        create(daemon, body("once", "no", "exit 1", ""));
        start(daemon, "loop");
        start(daemon, "loop2");
        start(daemon, "once");
        awaitEvents("restarting", "loop", 2, Duration.ofSeconds(20));
        awaitEvents("restarting", "loop2", 2, Duration.ofSeconds(20));
        awaitStatus(daemon, "loop", "running", Duration.ofSeconds(10));
        daemon.okTask("/api/v1/instances/loop/stop", null);
        long after = events("restarting", "loop");
        Thread.sleep(1500);
        assertThat(events("restarting", "loop")).isEqualTo(after);
        assertThat(daemon.instance("loop").path("state").path("reason").asText())
                .isEqualTo("stopped");
        assertThat(events("restarting", "once")).isZero();
    }

    @Test
    void containersOutliveADaemonKillAndThePoliciesAndExitCodesHoldAfterwards() throws Exception {
        create(daemon, body("ticker", "no", "while :; do echo tick; sleep 0.2; done", ""));
        create(daemon, body("ender", "no", "sleep 2; exit 3", ""));
        create(daemon, body("phoenix", "always", "sleep 2; exit 1", ""));
        create(
                daemon,
                "{\"name\":\"term\",\"image\":\"" + image
                        + "\",\"tty\":true,\"interactive\":true,\"command\":[\"sh\"]}");
        for (String n : List.of("ticker", "ender", "phoenix", "term")) {
            start(daemon, n);
        }
        long tickerPid = daemon.instance("ticker").path("runtime").path("pid").asLong();

        daemon.kill9();
        Thread.sleep(3500); // ender and phoenix end while nobody watches
        assertThat(Path.of("/proc/" + tickerPid))
                .as("the container outlives the daemon")
                .exists();
        daemon.start();

        JsonNode ticker = daemon.instance("ticker");
        assertThat(ticker.path("status").asText()).isEqualTo("running");
        assertThat(ticker.path("runtime").path("pid").asLong()).isEqualTo(tickerPid);
        JsonNode ender = daemon.instance("ender");
        assertThat(ender.path("status").asText()).isEqualTo("stopped");
        assertThat(ender.path("state").path("exitCode").asInt())
                .as("vessel-init kept the exit code")
                .isEqualTo(3);
        assertThat(ender.path("state").path("detail").asText()).contains("while the daemon was down");
        awaitEvents("restarting", "phoenix", 1, Duration.ofSeconds(10));
        awaitStatus(daemon, "phoenix", "running", Duration.ofSeconds(10));

        // logs -f after the restart: new output keeps coming.
        var follow = daemon.client().stream("GET", "/api/v1/instances/ticker/logs?follow=true&tail=0");
        var got = CompletableFuture.supplyAsync(() -> readUntil(follow.body(), "tick\ntick\n"));
        assertThat(got.get(10, java.util.concurrent.TimeUnit.SECONDS)).contains("tick\ntick\n");
        follow.close();

        // attach to the terminal after the restart: vessel-init still owns the pty and reads the fifo.
        try (var conn = attach(daemon, "term", true)) {
            conn.out().write("echo $((2+3)); exit 7\n".getBytes(StandardCharsets.UTF_8));
            conn.out().flush();
            assertThat(ContainerSupport.readAll(conn)).contains("5");
        }
        assertThat(awaitStatus(daemon, "term", "stopped", Duration.ofSeconds(10))
                        .path("state")
                        .path("exitCode")
                        .asInt())
                .isEqualTo(7);

        daemon.okTask("/api/v1/instances/ticker/stop", null);
        assertThat(daemon.instance("ticker").path("state").path("reason").asText())
                .isEqualTo("stopped");
        assertThat(ContainerSupport.exitCodeOfStopped(daemon.instance("ticker")))
                .isEqualTo(143);
    }

    @Test
    void alwaysBringsBackAStoppedContainerWhenTheDaemonStartsButUnlessStoppedDoesNot() throws Exception {
        create(daemon, body("back", "always", "sleep 60", ""));
        create(daemon, body("stays", "unless-stopped", "sleep 60", ""));
        start(daemon, "back");
        start(daemon, "stays");
        daemon.okTask("/api/v1/instances/back/stop?timeout=1", null);
        daemon.okTask("/api/v1/instances/stays/stop?timeout=1", null);
        daemon.kill9();
        daemon.start();
        awaitStatus(daemon, "back", "running", Duration.ofSeconds(10));
        assertThat(daemon.instance("stays").path("status").asText()).isEqualTo("stopped");
    }

    static String readUntil(InputStream in, String marker) {
        var sb = new StringBuilder();
        byte[] b = new byte[4096];
        try {
            int n;
            while (!sb.toString().contains(marker) && (n = in.read(b)) > 0) {
                sb.append(new String(b, 0, n, StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException e) {
            // closed
        }
        return sb.toString();
    }
}
