package dev.vessel.engine.instance;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.engine.service.Consoles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link Consoles}: an instance's log (a VM's serial console as QEMU keeps it, a container's output with what rotation
 * moved aside), followed until it stops; and a running VM's live serial console, QEMU's console socket joined to the
 * client. The daemon costs nothing per VM while nobody watches.
 */
public final class InstanceConsoles implements Consoles {
    private final InstanceOps ops;
    private final Function<Instance, Path> logOf;
    private final Function<Instance, Path> consoleSocketOf;
    private final Set<String> attached = ConcurrentHashMap.newKeySet();
    private final VmScreens screens;

    public InstanceConsoles(
            InstanceOps ops,
            Function<Instance, Path> logOf,
            Function<Instance, Path> consoleSocketOf,
            VmScreens screens) {
        this.ops = ops;
        this.logOf = logOf;
        this.consoleSocketOf = consoleSocketOf;
        this.screens = screens;
    }

    @Override
    public LogCopy log(String name, boolean follow, int tail) {
        Instance i = ops.get(name);
        Path log = logOf.apply(i);
        long offset;
        try {
            offset = LogFollower.tailOffset(log, tail);
        } catch (IOException e) {
            throw VesselException.host("cannot read the log of '" + name + "': " + e.getMessage(), e);
        }
        String n = i.name();
        // the whole log of a container includes what rotation moved aside, oldest first
        List<Path> older = tail < 0 ? dev.vessel.container.LogRotation.older(log) : List.of();
        return out -> {
            for (Path p : older) {
                LogFollower.copy(p, 0, out, () -> false);
            }
            LogFollower.copy(log, offset, out, () -> follow && stillThere(n));
        };
    }

    private boolean stillThere(String name) {
        return ops.find(name).map(i -> i.state().active()).orElse(false);
    }

    @Override
    public void requireConsole(String name) {
        Instance i = ops.get(name);
        if (i.kind() != dev.vessel.core.model.InstanceKind.VM) {
            throw VesselException.invalid(
                    "name", "'" + i.name() + "' is a container; its terminal is attach or exec, not a serial console");
        }
        if (!i.state().active()) {
            throw VesselException.state(
                    "instance '" + i.name() + "' is " + i.state().label() + "; start it to attach its console");
        }
    }

    @Override
    public Session console(String name) {
        requireConsole(name);
        Instance i = ops.get(name);
        if (!attached.add(i.id())) {
            throw VesselException.inUse("the console of '" + i.name() + "' is already attached elsewhere");
        }
        String id = i.id();
        try {
            return socket(consoleSocketOf.apply(i), () -> attached.remove(id));
        } catch (IOException e) {
            attached.remove(id);
            throw VesselException.host("cannot reach the console of '" + i.name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String screenPassword(String name) {
        return screens.password(requireScreen(name));
    }

    @Override
    public byte[] screenshot(String name) {
        return screens.screendump(requireScreen(name));
    }

    @Override
    public Session screen(String name) {
        Instance i = requireScreen(name);
        try {
            return socket(screens.socket(i), () -> {});
        } catch (IOException e) {
            throw VesselException.host("cannot reach the screen of '" + i.name() + "': " + e.getMessage(), e);
        }
    }

    private Instance requireScreen(String name) {
        requireConsole(name);
        Instance i = ops.get(name);
        if (!screens.has(i)) {
            throw VesselException.state("vm '" + i.name() + "' has no display; create it with --display std");
        }
        return i;
    }

    /** A session on a unix socket of QEMU's (the serial console, the VNC server); {@code closed} runs at its end. */
    private static Session socket(Path path, Runnable closed) throws IOException {
        SocketChannel qemu = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            qemu.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            qemu.close();
            throw e;
        }
        return new Session() {
            @Override
            public void join(InputStream in, OutputStream out) throws InterruptedException {
                pump(in, out, qemu);
            }

            @Override
            public void close() {
                try {
                    qemu.close();
                } catch (IOException ignored) {
                    // gone already
                }
                closed.run();
            }
        };
    }

    /** Joins the client and QEMU's console socket until either side closes. */
    private static void pump(InputStream clientIn, OutputStream clientOut, SocketChannel qemu)
            throws InterruptedException {
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
