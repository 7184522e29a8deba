package dev.vessel.http;

import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One face of the server: where it listens, its router, and its {@link Guard}. The unix socket is protected by file
 * permissions (root only); a TCP listener always checks credentials, may speak TLS, and has limits
 * against slow or greedy clients. A TCP listener binds when it is made, so a taken port fails at once and port 0
 * tells its number before the server starts; the unix socket is bound by the server.
 *
 * @param socket the unix socket's path, or null for TCP
 * @param channel the bound TCP channel, or null for the unix socket
 * @param tls the TCP listener's keystore, or null for plain HTTP
 */
public record Listener(
        String name,
        Path socket,
        ServerSocketChannel channel,
        Router router,
        Guard guard,
        String address,
        Tls tls,
        Limits limits) {

    /**
     * What a TCP client may do: wait this long idle between requests and while its request head arrives ({@code idle}),
     * stall this long in the middle of a request body ({@code read}), send a head of this many bytes, and hold this many
     * connections at once (over all its TCP listeners).
     */
    public record Limits(Duration idle, Duration read, int maxHeaderBytes, int maxConnections) {
        public static final Limits TCP = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(30), 16 * 1024, 512);
        /** The unix socket is local and root's: no cap; idle connections go after 5 minutes. */
        public static final Limits UNIX = new Limits(Duration.ofMinutes(5), Duration.ofMinutes(5), 64 * 1024, 0);
    }

    /** A PKCS#12 keystore with the server's key and certificate chain. The password never shows in toString. */
    public record Tls(Path keystore, String password) {
        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + "]";
        }
    }

    public static Listener unix(String name, Path socket, Router router) {
        return new Listener(name, socket, null, router, Guard.LOCAL_ADMIN, "unix://" + socket, null, Limits.UNIX);
    }

    /** A TCP listener whose one bearer token makes its holder the administrator (tests and tools). */
    public static Listener tcp(String name, InetSocketAddress address, Router router, String bearerToken) {
        return tcp(name, address, router, Guard.bearer(bearerToken), null, Limits.TCP);
    }

    public static Listener tcp(
            String name, InetSocketAddress address, Router router, String bearerToken, Tls tls, Limits limits) {
        return tcp(name, address, router, Guard.bearer(bearerToken), tls, limits);
    }

    public static Listener tcp(
            String name, InetSocketAddress address, Router router, Guard guard, Tls tls, Limits limits) {
        return tcp(name, address, java.util.Optional.empty(), router, guard, tls, limits);
    }

    /** A TCP listener bound in the network namespace {@code namespace} (see NetnsListen), or in the daemon's own. */
    public static Listener tcp(
            String name,
            InetSocketAddress address,
            java.util.Optional<Path> namespace,
            Router router,
            Guard guard,
            Tls tls,
            Limits limits) {
        if (guard == null || guard == Guard.LOCAL_ADMIN) {
            throw new IllegalArgumentException("a TCP listener needs a guard that checks credentials");
        }
        try {
            ServerSocketChannel ch;
            if (namespace.isPresent()) {
                ch = dev.vessel.host.NetnsListen.bind(namespace.get(), address, 1024);
            } else {
                ch = ServerSocketChannel.open(StandardProtocolFamily.INET);
                ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(address, 1024);
            }
            var bound = (InetSocketAddress) ch.getLocalAddress();
            return new Listener(
                    name,
                    null,
                    ch,
                    router,
                    guard,
                    (tls == null ? "tcp://" : "tls://") + bound.getHostString() + ":" + bound.getPort(),
                    tls,
                    limits);
        } catch (IOException e) {
            throw VesselException.host("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    public boolean isUnix() {
        return socket != null;
    }

    /** The TCP port (the real one when bound to port 0), or -1 for the unix socket. */
    public int port() {
        try {
            return channel != null && channel.getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return "Listener[" + name + " " + address + "]";
    }
}
