package dev.vessel.qemu.qmp;

import static dev.vessel.qemu.qmp.FakeQmpServer.Connection.errorText;
import static dev.vessel.qemu.qmp.FakeQmpServer.Connection.eventText;
import static dev.vessel.qemu.qmp.FakeQmpServer.Connection.replyText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class QmpClientTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private FakeQmpServer server() throws Exception {
        var server = FakeQmpServer.start(dir.resolve("qmp.sock"));
        cleanup.add(server);
        return server;
    }

    private FakeQmpServer.Session session() throws Exception {
        var session = server().handshake();
        cleanup.add(session);
        return session;
    }

    private static <T> CompletableFuture<T> inBackground(java.util.function.Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, r -> Thread.ofVirtual().start(r));
    }

    @Test
    void aConnectionResetByAKilledQemuIsOneLogLineWithoutAStackTrace() throws Exception {
        var records = new java.util.concurrent.CopyOnWriteArrayList<java.util.logging.LogRecord>();
        var logger = java.util.logging.Logger.getLogger(QmpClient.class.getName());
        var handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            var s = session();
            // a request the server never reads: closing with it unread makes the kernel reset the connection
            inBackground(() -> {
                try {
                    return s.client().execute("query-status", Map.of(), Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    return null;
                }
            });
            Thread.sleep(100);
            s.conn().close();
            s.client().closed().get(5, java.util.concurrent.TimeUnit.SECONDS);
            Thread.sleep(50);
            assertThat(records)
                    .as("log records of the end")
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.getThrown())
                            .as("no stack trace: " + r.getMessage())
                            .isNull())
                    .noneSatisfy(r -> assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING));
            s.client().close();
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void connectReadsTheGreetingAndLeavesCapabilitiesNegotiation() throws Exception {
        var server = server();
        var client = inBackground(() -> QmpClient.connect(server.path(), Duration.ofSeconds(5)));
        var conn = server.accept();
        cleanup.add(conn);
        conn.send(FakeQmpServer.GREETING);

        JsonNode caps = conn.read();
        assertThat(caps.path("execute").asText()).isEqualTo("qmp_capabilities");
        assertThat(caps.has("arguments")).isFalse();
        assertThat(caps.path("id").canConvertToLong()).isTrue();
        assertThat(client).isNotDone();

        conn.reply(caps, "{}");
        var qmp = client.get(5, TimeUnit.SECONDS);
        cleanup.add(qmp);
        assertThat(qmp.version()).isEqualTo(new QmpVersion(7, 2, 22, "Debian 1:7.2+dfsg-7"));
        assertThat(qmp.version().toString()).isEqualTo("7.2.22");
        assertThat(qmp.version().isAtLeast(7, 2)).isTrue();
        assertThat(qmp.version().isAtLeast(8, 0)).isFalse();
        assertThat(qmp.isOpen()).isTrue();
    }

    @Test
    void connectWaitsForTheSocketToAppear() throws Exception {
        Path path = dir.resolve("late.sock");
        var client = inBackground(() -> QmpClient.connect(path, Duration.ofSeconds(10)));
        Thread.sleep(300);
        assertThat(client).isNotDone();

        var server = FakeQmpServer.start(path);
        cleanup.add(server);
        var conn = server.accept();
        cleanup.add(conn);
        conn.send(FakeQmpServer.GREETING);
        conn.answer("{}");
        cleanup.add(client.get(5, TimeUnit.SECONDS));
    }

    @Test
    void connectTimesOutWhenNothingListensOnTheSocket() {
        assertThatThrownBy(() -> QmpClient.connect(dir.resolve("nobody.sock"), Duration.ofMillis(200)))
                .asInstanceOf(type(VesselException.class))
                .satisfies(e -> assertThat(e.type()).isEqualTo(ProblemType.TIMEOUT))
                .satisfies(e -> assertThat(e.getMessage()).contains("nobody.sock"));
    }

    @Test
    void connectTimesOutWhenTheServerNeverGreets() throws Exception {
        // What a second client sees while another one still holds QEMU's monitor.
        var server = server();
        assertThatThrownBy(() -> QmpClient.connect(server.path(), Duration.ofMillis(300)))
                .asInstanceOf(type(VesselException.class))
                .satisfies(e -> assertThat(e.type()).isEqualTo(ProblemType.TIMEOUT))
                .satisfies(e -> assertThat(e.getMessage()).contains("no QMP greeting"));
    }

    @Test
    void connectFailsWhenThePeerDoesNotSpeakQmp() throws Exception {
        var server = server();
        var client = inBackground(() -> QmpClient.connect(server.path(), Duration.ofSeconds(5)));
        var conn = server.accept();
        cleanup.add(conn);
        conn.send("{\"hello\": \"world\"}");
        assertThat(client)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(VesselException.class)
                .withMessageContaining("expected a QMP greeting");
    }

    @Test
    void executeSendsArgumentsAndReturnsTheReturnValue() throws Exception {
        var s = session();
        var result =
                inBackground(() -> s.client().execute("human-monitor-command", Map.of("command-line", "info version")));
        JsonNode request = s.conn().answer("\"7.2.22\\r\\n\"");
        assertThat(request.path("execute").asText()).isEqualTo("human-monitor-command");
        assertThat(request.path("arguments").path("command-line").asText()).isEqualTo("info version");
        assertThat(result.get(5, TimeUnit.SECONDS).asText()).isEqualTo("7.2.22\r\n");
    }

    @Test
    void repliesAreMatchedByIdEvenWhenTheyArriveOutOfOrder() throws Exception {
        var s = session();
        var first = inBackground(() -> s.client().execute("first"));
        JsonNode firstRequest = s.conn().read();
        var second = inBackground(() -> s.client().execute("second"));
        JsonNode secondRequest = s.conn().read();
        assertThat(firstRequest.get("id")).isNotEqualTo(secondRequest.get("id"));

        s.conn().reply(secondRequest, "{\"who\": \"second\"}");
        assertThat(second.get(5, TimeUnit.SECONDS).path("who").asText()).isEqualTo("second");
        assertThat(first).isNotDone();

        s.conn().reply(firstRequest, "{\"who\": \"first\"}");
        assertThat(first.get(5, TimeUnit.SECONDS).path("who").asText()).isEqualTo("first");
    }

    @Test
    void manyConcurrentCallersEachGetTheirOwnReply() throws Exception {
        var s = session();
        int n = 50;
        var calls = new ArrayList<Future<JsonNode>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                calls.add(pool.submit(() -> s.client().execute("echo", Map.of("k", k))));
            }
            var requests = new ArrayList<JsonNode>();
            for (int i = 0; i < n; i++) {
                requests.add(s.conn().read());
            }
            assertThat(new HashSet<>(requests.stream().map(r -> r.get("id")).toList()))
                    .hasSize(n);
            // Answer in reverse, all in one write: several replies per read, none in request order.
            var all = new StringBuilder();
            for (JsonNode r : requests.reversed()) {
                all.append(replyText(r, "{\"k\": " + r.path("arguments").path("k") + "}"))
                        .append("\r\n");
            }
            s.conn().sendRaw(all.toString());
            for (int i = 0; i < n; i++) {
                assertThat(calls.get(i).get(5, TimeUnit.SECONDS).path("k").asInt())
                        .isEqualTo(i);
            }
        }
    }

    @Test
    void eventsInterleavedWithRepliesReachListenersInOrder() throws Exception {
        var s = session();
        BlockingQueue<QmpEvent> seen = new LinkedBlockingQueue<>();
        s.client().addEventListener(seen::add);

        var result = inBackground(() -> s.client().execute("cont"));
        JsonNode request = s.conn().read();
        s.conn()
                .sendRaw(eventText("RESUME", null) + "\r\n" + replyText(request, "{}") + "\r\n"
                        + eventText("BLOCK_JOB_COMPLETED", "{\"device\": \"drive0\", \"len\": 10, \"offset\": 10}")
                        + "\r\n");

        assertThat(result.get(5, TimeUnit.SECONDS).isObject()).isTrue();
        QmpEvent resume = seen.poll(5, TimeUnit.SECONDS);
        QmpEvent job = seen.poll(5, TimeUnit.SECONDS);
        assertThat(resume.name()).isEqualTo("RESUME");
        assertThat(resume.data().isObject()).isTrue();
        assertThat(resume.data().isEmpty()).isTrue();
        assertThat(resume.timestamp()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 250_000_000L));
        assertThat(job.name()).isEqualTo("BLOCK_JOB_COMPLETED");
        assertThat(job.data().path("device").asText()).isEqualTo("drive0");
    }

    @Test
    void messagesSplitAcrossManyWritesAreReassembled() throws Exception {
        var s = session();
        var result = inBackground(() -> s.client().queryStatus());
        JsonNode request = s.conn().read();
        String reply =
                replyText(request, "{\"status\": \"running\", \"singlestep\": false, \"running\": true}") + "\r\n";
        for (int i = 0; i < reply.length(); i += 7) {
            s.conn().sendRaw(reply.substring(i, Math.min(reply.length(), i + 7)));
            Thread.sleep(1);
        }
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(new QmpStatus("running", true));
    }

    @Test
    void aLargeReplyArrivesIntact() throws Exception {
        var s = session();
        var result = inBackground(() -> s.client().execute("query-qmp-schema"));
        JsonNode request = s.conn().read();
        var big = new StringBuilder("[");
        for (int i = 0; i < 100_000; i++) {
            big.append(i == 0 ? "" : ",")
                    .append("{\"name\": \"entry-")
                    .append(i)
                    .append("\", \"meta-type\": \"object\"}");
        }
        big.append(']');
        assertThat(big.length()).isGreaterThan(4 << 20);
        s.conn().reply(request, big.toString());

        JsonNode schema = result.get(10, TimeUnit.SECONDS);
        assertThat(schema.size()).isEqualTo(100_000);
        assertThat(schema.get(99_999).path("name").asText()).isEqualTo("entry-99999");
    }

    @Test
    void anErrorReplyBecomesAQmpCommandExceptionWithClassAndDescription() throws Exception {
        var s = session();
        var result = inBackground(() -> s.client().execute("frobnicate"));
        JsonNode request = s.conn().read();
        s.conn().send(errorText(request, "CommandNotFound", "The command frobnicate has not been found"));

        assertThat(result)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(QmpCommandException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.HOST_COMMAND_FAILED);
                    assertThat(e.errorClass()).isEqualTo("CommandNotFound");
                    assertThat(e.desc()).isEqualTo("The command frobnicate has not been found");
                    assertThat(e.command()).isEqualTo("frobnicate");
                    assertThat(e.details())
                            .isEqualTo(Map.of(
                                    "class", "CommandNotFound",
                                    "desc", "The command frobnicate has not been found",
                                    "command", "frobnicate"));
                });
    }

    @Test
    void aCommandWithoutReplyTimesOutAndTheConnectionStaysUsable() throws Exception {
        var s = session();
        var slow = inBackground(() -> s.client().execute("slow", Map.of(), Duration.ofMillis(200)));
        JsonNode slowRequest = s.conn().read();
        assertThat(slow)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(VesselException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.TIMEOUT);
                    assertThat(e.details()).containsEntry("command", "slow");
                });

        // The late reply is dropped; the next command gets its own reply.
        s.conn().reply(slowRequest, "{\"late\": true}");
        var next = inBackground(() -> s.client().execute("next"));
        s.conn().answer("{\"late\": false}");
        assertThat(next.get(5, TimeUnit.SECONDS).path("late").asBoolean()).isFalse();
    }

    @Test
    void aServerDisconnectFailsAllPendingCallsAndCompletesClosed() throws Exception {
        var s = session();
        var calls = List.of(
                inBackground(() -> s.client().execute("a")),
                inBackground(() -> s.client().execute("b")),
                inBackground(() -> s.client().execute("c")));
        for (int i = 0; i < calls.size(); i++) {
            s.conn().read();
        }
        s.conn().close();

        QmpDisconnect end = s.client().closed().get(5, TimeUnit.SECONDS);
        assertThat(end.reason()).isEqualTo(QmpDisconnect.Reason.PEER_CLOSED);
        assertThat(end.byPeer()).isTrue();
        for (var call : calls) {
            assertThat(call)
                    .failsWithin(Duration.ofSeconds(5))
                    .withThrowableThat()
                    .havingCause()
                    .isInstanceOfSatisfying(VesselException.class, e -> {
                        assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE);
                        assertThat(e.getMessage())
                                .containsAnyOf("'a'", "'b'", "'c'")
                                .contains("connection to QEMU is closed", "QEMU closed QMP socket");
                    });
        }
        assertThat(s.client().isOpen()).isFalse();
        assertThatThrownBy(() -> s.client().execute("after"))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE));
    }

    @Test
    void closedCompletesOnlyAfterEarlierEventsReachedTheListeners() throws Exception {
        var s = session();
        var seen = new ArrayList<String>();
        var slowListenerMayGo = new CountDownLatch(1);
        s.client().addEventListener(e -> {
            await(slowListenerMayGo);
            synchronized (seen) {
                seen.add(e.name() + ":" + e.data().path("reason").asText());
            }
        });
        s.conn().event("SHUTDOWN", "{\"guest\": true, \"reason\": \"guest-shutdown\"}");
        s.conn().close();

        Thread.sleep(200);
        assertThat(s.client().closed()).isNotDone();
        slowListenerMayGo.countDown();
        s.client().closed().get(5, TimeUnit.SECONDS);
        synchronized (seen) {
            assertThat(seen).containsExactly("SHUTDOWN:guest-shutdown");
        }
    }

    @Test
    void aThrowingListenerDoesNotStopOtherListenersOrTheReader() throws Exception {
        var s = session();
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        s.client().addEventListener(e -> {
            throw new IllegalStateException("listener bug");
        });
        s.client().addEventListener(e -> seen.add(e.name()));

        s.conn().event("STOP", null);
        s.conn().event("RESUME", null);
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("STOP");
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("RESUME");

        var status = inBackground(() -> s.client().queryStatus());
        s.conn().answer("{\"status\": \"paused\", \"running\": false}");
        assertThat(status.get(5, TimeUnit.SECONDS)).isEqualTo(new QmpStatus("paused", false));
    }

    @Test
    void aBlockedListenerDoesNotDelayReplies() throws Exception {
        var s = session();
        var release = new CountDownLatch(1);
        s.client().addEventListener(e -> await(release));
        try {
            s.conn().event("POWERDOWN", null);
            var result = inBackground(() -> s.client().execute("query-status"));
            s.conn().answer("{\"status\": \"running\", \"running\": true}");
            assertThat(result.get(5, TimeUnit.SECONDS).path("running").asBoolean())
                    .isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aListenerCanItselfExecuteCommands() throws Exception {
        var s = session();
        var fromListener = new CompletableFuture<QmpStatus>();
        s.client().addEventListener(e -> fromListener.complete(s.client().queryStatus()));
        s.conn().event("STOP", null);
        s.conn().answer("{\"status\": \"paused\", \"running\": false}");
        assertThat(fromListener.get(5, TimeUnit.SECONDS).status()).isEqualTo("paused");
    }

    @Test
    void closeIsIdempotentFailsPendingCallsAndReportsAClientClose() throws Exception {
        var s = session();
        var pending = inBackground(() -> s.client().execute("never-answered"));
        s.conn().read();

        s.client().close();
        s.client().close();

        assertThat(s.client().closed().get(5, TimeUnit.SECONDS).reason()).isEqualTo(QmpDisconnect.Reason.CLIENT_CLOSED);
        assertThat(pending)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .havingCause()
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE));
        assertThat(s.conn().read()).as("the server sees EOF").isNull();
    }

    @Test
    void quitIsNotAnErrorWhenQemuHangsUpBeforeReplying() throws Exception {
        var s = session();
        var quit = inBackground(() -> {
            s.client().quit();
            return true;
        });
        assertThat(s.conn().read().path("execute").asText()).isEqualTo("quit");
        s.conn().event("SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-quit\"}");
        s.conn().close();
        assertThat(quit.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(s.client().closed().get(5, TimeUnit.SECONDS).byPeer()).isTrue();
    }

    @Test
    void unreadableOrUnexpectedMessagesAreSkippedWithoutLosingTheConnection() throws Exception {
        var s = session();
        var result = inBackground(() -> s.client().execute("query-status"));
        JsonNode request = s.conn().read();
        s.conn()
                .sendRaw(
                        "this is not json\r\n[1, 2]\r\n{\"return\": {}}\r\n{\"return\": {}, \"id\": 999999}\r\n{\"what\": 1}\r\n");
        s.conn().reply(request, "{\"status\": \"paused\", \"running\": false}");
        assertThat(result.get(5, TimeUnit.SECONDS).path("status").asText()).isEqualTo("paused");
        assertThat(s.client().isOpen()).isTrue();
    }

    @Test
    void aListenerGivenToConnectSeesTheFirstEventAfterTheHandshake() throws Exception {
        var server = server();
        BlockingQueue<QmpEvent> seen = new LinkedBlockingQueue<>();
        var client = inBackground(() -> QmpClient.connect(server.path(), Duration.ofSeconds(5), seen::add));
        var conn = server.accept();
        cleanup.add(conn);
        conn.send(FakeQmpServer.GREETING);
        JsonNode caps = conn.read();
        // QEMU may send an event right behind the capabilities reply, before connect() has even returned.
        conn.sendRaw(replyText(caps, "{}") + "\r\n" + eventText("RESUME", null) + "\r\n");
        cleanup.add(client.get(5, TimeUnit.SECONDS));
        assertThat(seen.poll(5, TimeUnit.SECONDS).name()).isEqualTo("RESUME");
    }

    @Test
    void typedHelpersSendTheRightCommands() throws Exception {
        var s = session();
        var done = inBackground(() -> {
            s.client().cont();
            s.client().stop();
            s.client().systemPowerdown();
            return true;
        });
        assertThat(s.conn().answer("{}").path("execute").asText()).isEqualTo("cont");
        assertThat(s.conn().answer("{}").path("execute").asText()).isEqualTo("stop");
        assertThat(s.conn().answer("{}").path("execute").asText()).isEqualTo("system_powerdown");
        assertThat(done.get(5, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
