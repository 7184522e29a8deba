package dev.vessel.qemu.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A client for one QEMU's QMP monitor socket ({@code -qmp unix:PATH,server=on,wait=off}).
 *
 * <p>Threading: any number of threads may call {@link #execute} at once. Each request gets a unique {@code id}; one
 * reader virtual thread reads the socket and completes the caller waiting on that id, so replies may arrive in any
 * order. Events go to listeners on a separate event thread (see {@link #addEventListener}).
 *
 * <p>A client is one connection; it is not reusable. After the daemon restarts (or after {@link #close()}) it connects
 * a new client to the same socket. QEMU serves one QMP client at a time: a second connection waits, without a greeting,
 * until the first one has gone.
 *
 * <p>Failures: a QMP {@code error} reply throws {@link QmpCommandException} ({@link ProblemType#HOST_COMMAND_FAILED});
 * no reply in time throws {@link ProblemType#TIMEOUT}; a lost connection throws {@link ProblemType#UNAVAILABLE}.
 */
public final class QmpClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(QmpClient.class.getName());

    /** Timeout of the methods without an explicit one. Generous because TCG guests on a busy host answer slowly. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Larger than any real reply (query-qmp-schema is a few hundred KiB); beyond this the peer is not QMP. */
    static final int MAX_MESSAGE = 64 * 1024 * 1024;

    private final Path socket;
    private final SocketChannel channel;
    private final EventDispatcher events;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong nextId = new AtomicLong();
    /** Callers waiting for a reply, by request id. */
    private final ConcurrentHashMap<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set once, when the connection ends; afterwards every call fails at once with this as the cause. */
    private final AtomicReference<QmpDisconnect> disconnect = new AtomicReference<>();

    private volatile QmpVersion version;

    private QmpClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
        this.events = new EventDispatcher("qmp-events " + socket);
    }

    /** Connects, reads the greeting and leaves capabilities negotiation; see {@link #connect(Path, Duration, Consumer)}. */
    public static QmpClient connect(Path socket, Duration timeout) {
        return connect(socket, timeout, null);
    }

    /**
     * Connects to a QMP socket, retrying while it does not exist yet or refuses connections (QEMU still starting), then
     * reads the greeting and sends {@code qmp_capabilities}, all within {@code timeout}.
     *
     * @param listener registered before capabilities negotiation ends, so it sees every event of this connection
     *                 (QEMU sends none earlier); may be null
     * @throws VesselException TIMEOUT if nothing answered in time (including when another client holds the monitor),
     *                         HOST_COMMAND_FAILED if the socket cannot be used or does not speak QMP
     */
    public static QmpClient connect(Path socket, Duration timeout, Consumer<QmpEvent> listener) {
        Objects.requireNonNull(socket, "socket");
        long deadline = System.nanoTime() + timeout.toNanos();
        var client = new QmpClient(socket, SocketOpener.open(socket, timeout, deadline));
        if (listener != null) {
            client.events.add(listener);
        }
        client.events.start();
        Thread.ofVirtual().name("qmp-reader " + socket).start(client::readLoop);
        try {
            JsonNode qmp = client.greeting.get(remaining(deadline), TimeUnit.NANOSECONDS);
            client.version = QmpVersion.from(qmp.path("version"));
            client.execute("qmp_capabilities", Map.of(), Duration.ofNanos(Math.max(remaining(deadline), 1)));
            return client;
        } catch (TimeoutException e) {
            client.close();
            throw new VesselException(
                    ProblemType.TIMEOUT,
                    "no QMP greeting on " + socket + " within " + timeout.toMillis()
                            + " ms (is another client connected?)",
                    Map.of("socket", socket.toString()),
                    e);
        } catch (ExecutionException e) {
            client.close();
            throw VesselException.host(
                    "QMP handshake on " + socket + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw VesselException.host("interrupted while connecting to QMP socket " + socket, e);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    static long remaining(long deadline) {
        return deadline - System.nanoTime();
    }

    /** The QEMU version from the greeting. */
    public QmpVersion version() {
        return version;
    }

    public Path socket() {
        return socket;
    }

    /** True until the connection has ended (either side). */
    public boolean isOpen() {
        return disconnect.get() == null;
    }

    public JsonNode execute(String command) {
        return execute(command, Map.of(), DEFAULT_TIMEOUT);
    }

    public JsonNode execute(String command, Map<String, ?> arguments) {
        return execute(command, arguments, DEFAULT_TIMEOUT);
    }

    /**
     * Sends a command and waits for its reply.
     *
     * @param arguments serialised with Jackson; empty or null sends no {@code arguments} member
     * @return the {@code return} value (usually an object; {@code {}} for commands without a result)
     * @throws QmpCommandException on a QMP error reply
     * @throws VesselException     TIMEOUT if no reply came in time (a late reply is dropped; the connection stays
     *                             usable), UNAVAILABLE if the connection is or becomes closed
     */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        long id = nextId.incrementAndGet();
        byte[] request = QmpMessages.request(command, arguments, id);
        var reply = new CompletableFuture<JsonNode>();
        pending.put(id, reply);
        QmpDisconnect gone = disconnect.get();
        if (gone != null) {
            // Checked after registering: either shutdown() saw our entry, or we see its mark here; never neither.
            pending.remove(id);
            throw unavailable(command, gone.detail(), null);
        }
        send(command, id, request);
        try {
            return QmpMessages.returnValue(command, reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            pending.remove(id);
            throw new VesselException(
                    ProblemType.TIMEOUT,
                    "QMP command '" + command + "' got no reply within " + timeout.toMillis() + " ms on " + socket,
                    Map.of("command", command, "socket", socket.toString()),
                    e);
        } catch (ExecutionException e) {
            throw unavailable(command, e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            pending.remove(id);
            Thread.currentThread().interrupt();
            throw VesselException.host("interrupted while waiting for QMP command '" + command + "'", e);
        }
    }

    /** {@code query-status}. */
    public QmpStatus queryStatus() {
        return QmpStatus.from(execute("query-status"));
    }

    /** {@code cont}: starts or resumes the guest CPUs; QEMU emits RESUME. */
    public void cont() {
        execute("cont");
    }

    /** {@code stop}: pauses the guest CPUs; QEMU emits STOP. */
    public void stop() {
        execute("stop");
    }

    /** {@code system_powerdown}: presses the ACPI power button (POWERDOWN); the guest decides whether to shut down. */
    public void systemPowerdown() {
        execute("system_powerdown");
    }

    /**
     * {@code quit}: QEMU exits at once (SHUTDOWN, then EOF). If the connection drops before the reply arrives, that is
     * the exit we asked for, so it is not an error; wait on {@link #closed()} to know the socket is gone.
     */
    public void quit() {
        try {
            execute("quit");
        } catch (VesselException e) {
            if (e.type() != ProblemType.UNAVAILABLE) {
                throw e;
            }
            LOG.log(System.Logger.Level.DEBUG, "QMP connection to " + socket + " ended before the reply to quit");
        }
    }

    /**
     * Adds an event listener. Listeners run on one event virtual thread per client, never on the reader thread, one
     * event at a time in QEMU's order. A listener may block or call {@link #execute} (replies keep flowing), but while
     * it runs later events wait for it. An exception thrown by a listener is logged and does not affect other
     * listeners or later events. Events are delivered after the reader has seen them, so a listener may run shortly
     * after the {@code execute} that caused the event has returned (QEMU sends RESUME before the reply to cont).
     */
    public void addEventListener(Consumer<QmpEvent> listener) {
        events.add(Objects.requireNonNull(listener, "listener"));
    }

    public boolean removeEventListener(Consumer<QmpEvent> listener) {
        return events.remove(listener);
    }

    /**
     * Completes (never exceptionally) when the connection has ended: QEMU exited or closed the socket, the stream
     * failed, or {@link #close()} was called. By then every event received before the end has been passed to the
     * listeners. This is how the daemon notices that QEMU died. Each call returns a fresh dependent future, so a
     * caller completing or cancelling it cannot affect anyone else.
     */
    public CompletableFuture<QmpDisconnect> closed() {
        return events.closed().copy();
    }

    /**
     * Closes the socket and fails pending calls. Idempotent; does not wait for the reader or the listeners. QEMU keeps
     * running and accepts the next client.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            channel.close(); // unblocks the reader, which exits without reporting an error because closing is set
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing QMP socket " + socket + ": " + e.getMessage(), e);
        }
        shutdown(
                new QmpDisconnect(QmpDisconnect.Reason.CLIENT_CLOSED, "QMP client for " + socket + " was closed"),
                null);
    }

    private void send(String command, long id, byte[] request) {
        writeLock.lock();
        try {
            var buf = ByteBuffer.wrap(request);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            pending.remove(id);
            // A half-written request would corrupt the stream for everyone; the connection is done.
            shutdown(
                    new QmpDisconnect(
                            QmpDisconnect.Reason.IO_ERROR, "writing to " + socket + " failed: " + e.getMessage()),
                    e);
            throw unavailable(command, e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private VesselException unavailable(String command, String why, Throwable cause) {
        return new VesselException(
                ProblemType.UNAVAILABLE,
                "QMP command '" + command + "' failed: the connection to QEMU is closed (" + why + ")",
                Map.of("command", command, "socket", socket.toString()),
                cause);
    }

    private void readLoop() {
        var framer = new LineFramer(MAX_MESSAGE);
        var chunk = ByteBuffer.allocate(64 * 1024);
        QmpDisconnect end;
        Throwable failure = null;
        try {
            while (channel.read(chunk.clear()) >= 0) {
                framer.feed(chunk.flip(), this::onLine);
            }
            end = new QmpDisconnect(
                    QmpDisconnect.Reason.PEER_CLOSED,
                    "QEMU closed QMP socket " + socket + (framer.pending() > 0 ? " in the middle of a message" : ""));
        } catch (IOException | RuntimeException e) {
            if (closing.get() && e instanceof ClosedChannelException) {
                // Our own close() made the read fail (AsynchronousCloseException); close() reports the end.
                return;
            }
            failure = e;
            end = new QmpDisconnect(QmpDisconnect.Reason.IO_ERROR, "reading QMP socket " + socket + " failed: " + e);
            if (e instanceof IOException) {
                // QEMU killed or gone mid-read ("Connection reset"): an expected end, one line
                LOG.log(System.Logger.Level.INFO, "QMP socket " + socket + " ended: " + e.getMessage());
            } else {
                LOG.log(System.Logger.Level.WARNING, end.detail(), e);
            }
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing QMP socket " + socket + " after its end: " + e.getMessage());
        }
        shutdown(end, failure);
    }

    private void onLine(byte[] buf, int offset, int length) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(buf, offset, length);
        } catch (IOException e) {
            // One bad line is skipped rather than dropping the VM's monitor; QEMU itself never sends one.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "ignoring unreadable QMP message on " + socket + ": " + QmpMessages.preview(buf, offset, length),
                    e);
            return;
        }
        if (message == null || !message.isObject()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "ignoring non-object QMP message on " + socket + ": " + QmpMessages.preview(buf, offset, length));
        } else if (!greeting.isDone()) {
            if (message.has("QMP")) {
                greeting.complete(message.get("QMP"));
            } else {
                greeting.completeExceptionally(
                        new IOException("expected a QMP greeting, got " + QmpMessages.preview(buf, offset, length)));
            }
        } else if (message.has("event")) {
            events.publish(QmpEvent.from(message));
        } else if (message.has("return") || message.has("error")) {
            dispatchReply(message, buf, offset, length);
        } else {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "ignoring unexpected QMP message on " + socket + ": " + QmpMessages.preview(buf, offset, length));
        }
    }

    private void dispatchReply(JsonNode message, byte[] buf, int offset, int length) {
        JsonNode id = message.get("id");
        if (id == null || !id.canConvertToLong()) {
            // QEMU omits the id only when it could not parse the request, which our encoder never produces.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "QMP reply without a usable id on " + socket + ": " + QmpMessages.preview(buf, offset, length));
            return;
        }
        CompletableFuture<JsonNode> waiting = pending.remove(id.asLong());
        if (waiting == null) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "dropping QMP reply to id " + id + " on " + socket + ": its caller gave up");
            return;
        }
        waiting.complete(message);
    }

    /** Runs once per connection: marks it ended, fails every waiting call and lets the event thread finish. */
    private void shutdown(QmpDisconnect end, Throwable cause) {
        if (!disconnect.compareAndSet(null, end)) {
            return;
        }
        var failure = new IOException(end.detail(), cause);
        greeting.completeExceptionally(failure);
        for (Long id : pending.keySet()) {
            CompletableFuture<JsonNode> waiting = pending.remove(id);
            if (waiting != null) {
                waiting.completeExceptionally(failure);
            }
        }
        events.finish(end);
    }
}
