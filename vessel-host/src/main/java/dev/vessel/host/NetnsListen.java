package dev.vessel.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Binds a listening TCP socket in another network namespace than the daemon's. A socket belongs to the namespace it
 * was made in for its whole life, so a daemon that runs in a namespace of its own (the demo's, whose bridges and NAT
 * never touch the host's network) can still take connections on the host's loopback: one short-lived platform thread
 * enters the namespace with {@code setns(2)}, makes and binds the socket, and ends. No other thread, and no child
 * process, ever runs in that namespace; there is no forwarding process and no copy of the bytes.
 */
public final class NetnsListen {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 02000000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            CAPTURE);
    private static final MethodHandle SETNS = LINKER.downcallHandle(
            LINKER.defaultLookup().find("setns").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT),
            CAPTURE);
    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private NetnsListen() {}

    /**
     * A channel bound to {@code address} in the network namespace {@code namespace} (a file such as
     * /run/netns/NAME or /proc/PID/ns/net), with SO_REUSEADDR and the given backlog.
     */
    public static ServerSocketChannel bind(Path namespace, InetSocketAddress address, int backlog) throws IOException {
        var result = new AtomicReference<Object>();
        Thread t = Thread.ofPlatform().name("netns-bind").unstarted(() -> {
            try {
                enter(namespace);
                var ch = ServerSocketChannel.open(StandardProtocolFamily.INET);
                try {
                    ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                    ch.bind(address, backlog);
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
                result.set(ch);
            } catch (IOException | RuntimeException e) {
                result.set(e);
            }
            // the thread ends here, in the other namespace; nothing else ever runs on it
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + address + " in " + namespace, e);
        }
        return switch (result.get()) {
            case ServerSocketChannel ch -> ch;
            case IOException e -> throw e;
            case RuntimeException e -> throw e;
            default -> throw new IOException("binding " + address + " in " + namespace + " gave no socket");
        };
    }

    private static void enter(Path namespace) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(namespace.toString()), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IOException("cannot open the network namespace " + namespace + ": errno " + errno(st));
            }
            try {
                int r = (int) SETNS.invokeExact(st, fd, CLONE_NEWNET);
                if (r < 0) {
                    throw new IOException("cannot enter the network namespace " + namespace + ": errno " + errno(st));
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("cannot enter the network namespace " + namespace, e);
        }
    }

    private static int errno(MemorySegment st) {
        return (int) ERRNO.get(st, 0L);
    }
}
