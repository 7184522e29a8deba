package dev.vessel.qemu.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real QEMU (TCG, no guest, started paused with -S). */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@Timeout(120)
class QmpClientQemuTest {
    private static final String QEMU = "qemu-system-x86_64";
    /** TCG on a shared two-core host starts slowly; this bounds waiting, it is not an expectation. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Process qemu;
    private Path socket;
    private final List<QmpClient> clients = new ArrayList<>();
    private final BlockingQueue<QmpEvent> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void startQemu() throws IOException {
        socket = dir.resolve("qmp.sock");
        qemu = new ProcessBuilder(
                        QEMU,
                        "-accel",
                        "tcg",
                        "-M",
                        "q35",
                        "-m",
                        "64",
                        "-nodefaults",
                        "-display",
                        "none",
                        "-S",
                        "-qmp",
                        "unix:" + socket + ",server=on,wait=off")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile())
                .start();
    }

    @AfterEach
    void destroyQemu() throws Exception {
        clients.forEach(QmpClient::close);
        qemu.destroyForcibly();
        assertThat(qemu.waitFor(30, TimeUnit.SECONDS)).as("qemu is gone").isTrue();
    }

    private QmpClient connect() {
        var client = QmpClient.connect(socket, PATIENCE, events::add);
        clients.add(client);
        return client;
    }

    private QmpEvent nextEvent(String name) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            QmpEvent e = events.poll(1, TimeUnit.SECONDS);
            if (e != null && e.name().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + name + " event within " + PATIENCE + "; qemu log: " + qemuLog());
    }

    private String qemuLog() {
        try {
            return Files.readString(dir.resolve("qemu.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Test
    void theGreetingCarriesTheVersionOfTheInstalledQemu() throws Exception {
        var versionRun =
                new ProcessBuilder(QEMU, "--version").redirectErrorStream(true).start();
        String text = new String(versionRun.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        versionRun.waitFor(30, TimeUnit.SECONDS);
        var m = Pattern.compile("version (\\d+)\\.(\\d+)\\.(\\d+)").matcher(text);
        assertThat(m.find()).as(text).isTrue();

        QmpVersion version = connect().version();
        assertThat(version.toString()).isEqualTo(m.group(1) + "." + m.group(2) + "." + m.group(3));
        assertThat(version.packageName()).isNotNull();
    }

    @Test
    void aQemuStartedWithDashSIsInPrelaunchAndNotRunning() {
        QmpStatus status = connect().queryStatus();
        assertThat(status.status()).isIn("prelaunch", "paused");
        assertThat(status.running()).isFalse();
    }

    @Test
    void contResumesAndStopPausesWithTheMatchingEvents() throws Exception {
        var client = connect();
        client.cont();
        assertThat(nextEvent("RESUME").timestamp()).isNotNull();
        assertThat(client.queryStatus()).isEqualTo(new QmpStatus("running", true));

        client.stop();
        nextEvent("STOP");
        assertThat(client.queryStatus()).isEqualTo(new QmpStatus("paused", false));
    }

    @Test
    void anUnknownCommandFailsWithCommandNotFound() {
        var client = connect();
        assertThatThrownBy(() -> client.execute("vessel-no-such-command"))
                .isInstanceOfSatisfying(QmpCommandException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                    assertThat(e.command()).isEqualTo("vessel-no-such-command");
                    assertThat(e.type()).isEqualTo(ProblemType.HOST_COMMAND_FAILED);
                    assertThat(e.details()).containsEntry("class", "CommandNotFound");
                });
        assertThat(client.queryStatus().running()).as("still usable").isFalse();
    }

    @Test
    void badArgumentsFailWithGenericError() {
        var client = connect();
        assertThatThrownBy(() -> client.execute("query-status", java.util.Map.of("bogus", 1)))
                .isInstanceOfSatisfying(
                        QmpCommandException.class,
                        e -> assertThat(e.errorClass()).isEqualTo("GenericError"));
    }

    @Test
    void twentyConcurrentQueriesFromVirtualThreadsAllSucceed() throws Exception {
        var client = connect();
        var results = new ArrayList<Future<QmpStatus>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(client::queryStatus));
            }
            for (var r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS).running()).isFalse();
            }
        }
    }

    @Test
    void aLargeReplyLikeTheQmpSchemaIsRead() {
        var schema = connect().execute("query-qmp-schema");
        assertThat(schema.isArray()).isTrue();
        assertThat(schema.size()).isGreaterThan(100);
    }

    @Test
    void aSecondClientCanAdoptTheSameQemuAfterTheFirstIsClosed() throws Exception {
        var first = connect();
        first.stop();
        first.close();
        assertThat(first.closed().get(10, TimeUnit.SECONDS).reason()).isEqualTo(QmpDisconnect.Reason.CLIENT_CLOSED);

        var second = connect();
        assertThat(second.queryStatus().running()).isFalse();
        second.cont();
        nextEvent("RESUME");
        assertThat(second.queryStatus().running()).isTrue();
        assertThat(qemu.isAlive()).isTrue();
    }

    @Test
    void aClientConnectingWhileAnotherHoldsTheMonitorGetsInOnceTheFirstLeaves() throws Exception {
        // A crashed daemon's connection is closed by the kernel; a new daemon waits like this until QEMU notices.
        var first = connect();
        var second = CompletableFuture.supplyAsync(
                () -> connect(), r -> Thread.ofVirtual().start(r));
        Thread.sleep(500);
        assertThat(second).as("QEMU serves one client at a time").isNotDone();
        first.close();
        assertThat(second.get(60, TimeUnit.SECONDS).queryStatus().running()).isFalse();
    }

    @Test
    void systemPowerdownEmitsPowerdown() throws Exception {
        connect().systemPowerdown();
        nextEvent("POWERDOWN");
    }

    @Test
    void quitEmitsShutdownAndCompletesClosed() throws Exception {
        var client = connect();
        client.quit();
        QmpEvent shutdown = nextEvent("SHUTDOWN");
        assertThat(shutdown.data().path("reason").asText()).isEqualTo("host-qmp-quit");

        QmpDisconnect end = client.closed().get(30, TimeUnit.SECONDS);
        assertThat(end.byPeer()).isTrue();
        assertThat(qemu.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(qemu.exitValue()).isZero();
    }

    @Test
    void killingQemuCompletesClosedAndLaterCallsFailAsUnavailable() throws Exception {
        var client = connect();
        qemu.destroyForcibly();
        QmpDisconnect end = client.closed().get(30, TimeUnit.SECONDS);
        assertThat(end.byPeer()).isTrue();
        assertThatThrownBy(client::queryStatus)
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE));
    }
}
