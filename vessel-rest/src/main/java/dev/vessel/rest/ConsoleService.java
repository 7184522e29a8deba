package dev.vessel.rest;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.engine.instance.LogFollower;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A guest's serial console: the log ({@code GET .../logs}, optionally followed) and the live console, a raw byte
 * stream after an HTTP upgrade that the daemon joins to QEMU's console socket.
 */
public final class ConsoleService implements HttpService {
    public static final String PROTOCOL = "vessel-console";

    private final InstanceOps ops;
    private final Function<Instance, Path> logOf;
    private final Function<Instance, Path> consoleSocketOf;
    private final Set<String> attached = ConcurrentHashMap.newKeySet();

    public ConsoleService(InstanceOps ops, Function<Instance, Path> logOf, Function<Instance, Path> consoleSocketOf) {
        this.ops = ops;
        this.logOf = logOf;
        this.consoleSocketOf = consoleSocketOf;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/instances/{name}/logs", req -> {
            Instance i = ops.get(req.pathParam("name"));
            boolean follow = req.queryFlag("follow");
            int tail = req.queryInt("tail", -1, -1, 1_000_000);
            Path log = logOf.apply(i);
            long offset = LogFollower.tailOffset(log, tail);
            String name = i.name();
            // the whole log of a container includes what rotation moved aside, oldest first
            var older = tail < 0 ? dev.vessel.container.LogRotation.older(log) : java.util.List.<Path>of();
            return new HttpResponse.Streaming(200, "text/plain; charset=utf-8", out -> {
                for (Path p : older) {
                    LogFollower.copy(p, 0, out, () -> false);
                }
                LogFollower.copy(log, offset, out, () -> follow && stillThere(name));
            });
        });
        r.get("/api/v1/instances/{name}/console", req -> {
            Instance i = ops.get(req.pathParam("name"));
            if (!i.state().active()) {
                throw VesselException.state("instance '" + i.name() + "' is " + i.state().label() + "; start it to attach its console");
            }
            if (!req.header("Upgrade").map(u -> u.equalsIgnoreCase(PROTOCOL)).orElse(false)) {
                throw VesselException.invalid("Upgrade", "the console needs 'Connection: Upgrade' and 'Upgrade: " + PROTOCOL + "'");
            }
            if (!attached.add(i.id())) {
                throw VesselException.inUse("the console of '" + i.name() + "' is already attached elsewhere");
            }
            SocketChannel qemu;
            try {
                qemu = SocketChannel.open(StandardProtocolFamily.UNIX);
                qemu.connect(UnixDomainSocketAddress.of(consoleSocketOf.apply(i)));
            } catch (IOException e) {
                attached.remove(i.id());
                throw VesselException.host("cannot reach the console of '" + i.name() + "': " + e.getMessage(), e);
            }
            return new HttpResponse.Upgrade(PROTOCOL, (in, out) -> {
                try (qemu) {
                    pump(in, out, qemu);
                } finally {
                    attached.remove(i.id());
                }
            });
        });
    }

    private boolean stillThere(String name) {
        try {
            return ops.get(name).state().active();
        } catch (VesselException e) {
            return false;
        }
    }

    /** Joins the client and QEMU's console socket until either side closes. */
    private static void pump(InputStream clientIn, OutputStream clientOut, SocketChannel qemu) throws InterruptedException {
        Thread toClient = Thread.ofVirtual().start(() -> {
            var buf = ByteBuffer.allocate(8192);
            try {
                while (qemu.read(buf.clear()) > 0) {
                    clientOut.write(buf.array(), 0, buf.position());
                    clientOut.flush();
                }
            } catch (IOException e) {
                // either side went away
            }
            try {
                clientOut.close();
            } catch (IOException ignored) {
                // the client is gone already
            }
        });
        byte[] b = new byte[8192];
        try {
            int n;
            while ((n = clientIn.read(b)) > 0) {
                var bb = ByteBuffer.wrap(b, 0, n);
                while (bb.hasRemaining()) {
                    qemu.write(bb);
                }
            }
        } catch (IOException e) {
            // either side went away
        }
        try {
            qemu.close();
        } catch (IOException ignored) {
            // closing wakes the other direction
        }
        toClient.join(2000);
    }
}
