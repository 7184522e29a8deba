package dev.vessel.http;

import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * One face of the server: a bound socket, its router, and whether it wants a bearer token. The unix socket is
 * protected by file permissions (root only); a TCP listener always requires the token.
 */
public record Listener(String name, ServerSocketChannel channel, Router router, String bearerToken, String address) {

    public static Listener unix(String name, Path socket, Router router) {
        try {
            Files.createDirectories(socket.getParent());
            Files.deleteIfExists(socket);
            var ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(socket), 512);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            return new Listener(name, ch, router, null, "unix://" + socket);
        } catch (IOException e) {
            throw VesselException.host("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
    }

    public static Listener tcp(String name, InetSocketAddress address, Router router, String bearerToken) {
        if (bearerToken == null || bearerToken.isEmpty()) {
            throw new IllegalArgumentException("a TCP listener needs a bearer token");
        }
        try {
            var ch = ServerSocketChannel.open(StandardProtocolFamily.INET);
            ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, 1024);
            var bound = (InetSocketAddress) ch.getLocalAddress();
            return new Listener(name, ch, router, bearerToken, "tcp://" + bound.getHostString() + ":" + bound.getPort());
        } catch (IOException e) {
            throw VesselException.host("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        try {
            return channel.getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    boolean authorized(HttpRequest request) {
        if (bearerToken == null) {
            return true;
        }
        String auth = request.header("Authorization").orElse("");
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(
                auth.substring(7).trim().getBytes(StandardCharsets.UTF_8), bearerToken.getBytes(StandardCharsets.UTF_8));
    }
}
