package dev.vessel.qemu.qga;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection to the QEMU guest agent in a VM (qemu-ga, on the virtio-serial port {@code org.qemu.guest_agent.0},
 * which QEMU serves as a unix socket in the VM's run dir). The agent may be absent, not yet started or hung, and its
 * channel keeps stale replies across guest reboots, so every connection starts with {@code guest-sync-delimited}: the
 * agent answers it after a 0xFF byte that tells where the fresh replies begin, and a guest that does not answer within
 * the timeout is "not responding", a clear error rather than a hang. QEMU serves one client at a time; callers hold
 * one connection per VM at once.
 */
public final class GuestAgent implements AutoCloseable {
    public static final String PORT_NAME = "org.qemu.guest_agent.0";
    private static final AtomicLong SYNC_IDS = new AtomicLong(System.nanoTime() & 0xfffffff);
    private static final JsonNode CLOSED = Json.tree("{\"closed\":true}");
    private static final System.Logger LOG = System.getLogger(GuestAgent.class.getName());

    private final SocketChannel channel;
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final String vm;

    private GuestAgent(SocketChannel channel, String vm) {
        this.channel = channel;
        this.vm = vm;
        Thread.ofVirtual().name("qga-" + vm).start(this::read);
    }

    /** Connects and synchronises; throws "guest agent not responding" if it does not answer within {@code timeout}. */
    public static GuestAgent connect(Path socket, String vm, Duration timeout) {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw notResponding(vm, "its agent channel " + socket + " is not open (" + e.getMessage() + ")");
        }
        var agent = new GuestAgent(ch, vm);
        try {
            agent.sync(timeout);
            return agent;
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    /**
     * Whether the guest has the agent's port open, as QEMU sees it (query-chardev's {@code frontend-open}): a guest
     * without a running agent never opens it, so it is told "not responding" at once instead of after the sync's
     * timeout. True when QEMU cannot say.
     */
    public static boolean portOpen(dev.vessel.qemu.qmp.QmpClient qmp) {
        try {
            for (JsonNode c : qmp.execute("query-chardev")) {
                if (c.path("label").asText().equals(CHARDEV)) {
                    return c.path("frontend-open").asBoolean(true);
                }
            }
        } catch (RuntimeException e) {
            return true;
        }
        return true;
    }

    /**
     * Asks the guest to power itself off through its agent (guest-shutdown answers nothing: the guest goes down), for a
     * stop whose ACPI button the guest ignored; a guest without an agent is no matter.
     */
    public static void askPowerOff(Path socket, String vm) {
        try (var agent = connect(socket, vm, java.time.Duration.ofSeconds(3))) {
            agent.sendOnly("guest-shutdown", Map.of("mode", "powerdown"));
            Thread.sleep(200); // let QEMU pass it on before the channel closes
            LOG.log(System.Logger.Level.INFO, "vm " + vm + " ignored ACPI; asked its guest agent to power off");
        } catch (VesselException e) {
            LOG.log(System.Logger.Level.DEBUG, "vm " + vm + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The id of the agent's chardev on QEMU's command line. */
    public static final String CHARDEV = "qga0";

    public static VesselException notResponding(String vm, String why) {
        return new VesselException(
                ProblemType.UNAVAILABLE,
                "guest agent not responding in vm '" + vm + "': " + why
                        + " (is qemu-guest-agent installed and running in the guest?)",
                Map.of("vm", vm),
                null);
    }

    private void sync(Duration timeout) {
        long id = SYNC_IDS.incrementAndGet();
        send(new byte[] {(byte) 0xff});
        send(request("guest-sync-delimited", Map.of("id", id)));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode r = poll(deadline);
            if (r == null) {
                throw notResponding(vm, "no answer to guest-sync within " + timeout.toMillis() + " ms");
            }
            if (r == CLOSED) {
                throw notResponding(vm, "QEMU closed the agent channel");
            }
            if (r.path("return").asLong(-1) == id) {
                replies.clear();
                return;
            }
        }
    }

    /** Runs a command and returns its {@code return} value; an agent error is a clear error naming the command. */
    public JsonNode execute(String command, Map<String, ?> arguments, Duration timeout) {
        send(request(command, arguments));
        JsonNode r = poll(System.nanoTime() + timeout.toNanos());
        if (r == null) {
            throw notResponding(vm, command + " got no answer within " + timeout.toMillis() + " ms");
        }
        if (r == CLOSED) {
            throw notResponding(vm, "QEMU closed the agent channel during " + command);
        }
        if (r.has("error")) {
            throw new VesselException(
                    ProblemType.INVALID_STATE,
                    "the guest agent of vm '" + vm + "' refused " + command + ": "
                            + r.path("error")
                                    .path("desc")
                                    .asText(r.path("error").toString()),
                    Map.of("vm", vm, "command", command),
                    null);
        }
        return r.path("return");
    }

    public JsonNode execute(String command, Duration timeout) {
        return execute(command, Map.of(), timeout);
    }

    /** Sends a command that never answers on success (guest-shutdown: the guest goes down instead). */
    public void sendOnly(String command, Map<String, ?> arguments) {
        send(request(command, arguments));
    }

    private static byte[] request(String command, Map<String, ?> arguments) {
        var m = new LinkedHashMap<String, Object>();
        m.put("execute", command);
        if (!arguments.isEmpty()) {
            m.put("arguments", arguments);
        }
        return (Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode poll(long deadlineNanos) {
        try {
            return replies.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VesselException.state("interrupted while waiting for the guest agent");
        }
    }

    private synchronized void send(byte[] b) {
        try {
            var buf = ByteBuffer.wrap(b);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            throw notResponding(vm, "cannot write to its agent channel (" + e.getMessage() + ")");
        }
    }

    /** Splits what arrives into JSON lines; a 0xFF byte (the sync delimiter) drops whatever came before it. */
    private void read() {
        var line = new ByteArrayOutputStream();
        var buf = ByteBuffer.allocate(64 * 1024);
        try {
            while (channel.read(buf.clear()) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte c = buf.get();
                    if (c == (byte) 0xff) {
                        line.reset();
                    } else if (c == '\n') {
                        String s = line.toString(StandardCharsets.UTF_8).strip();
                        line.reset();
                        if (s.startsWith("{")) {
                            try {
                                replies.add(Json.tree(s));
                            } catch (RuntimeException e) {
                                // half a reply from before a reboot: skip it
                            }
                        }
                    } else {
                        line.write(c);
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
        replies.add(CLOSED);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
