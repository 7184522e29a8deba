package dev.vessel.qemu.qmp;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Opens the QMP unix socket, waiting for QEMU to create it and start listening: the daemon starts QEMU and connects
 * right away, so "no such file" and "connection refused" mean "not yet" until the deadline.
 */
final class SocketOpener {
    private static final long RETRY_MILLIS = 25;
    private static final int MAX_FAILURES_WITH_FILE = 3;

    private SocketOpener() {}

    static SocketChannel open(Path socket, Duration timeout, long deadline) {
        var address = UnixDomainSocketAddress.of(socket);
        int failuresWithFile = 0;
        while (true) {
            IOException notYet;
            try {
                return SocketChannel.open(address);
            } catch (ConnectException e) {
                notYet = e; // the file exists but nobody listens (yet): QEMU is starting, or a stale socket
            } catch (IOException e) {
                // "No such file" followed by a file that exists now is QEMU binding the socket between the two
                // looks: try again. Only an error that repeats while the file is there is a real one.
                if (Files.exists(socket) && ++failuresWithFile >= MAX_FAILURES_WITH_FILE) {
                    throw VesselException.host("cannot connect to QMP socket " + socket + ": " + e.getMessage(), e);
                }
                notYet = e; // QEMU has not created the socket yet
            }
            if (QmpClient.remaining(deadline) <= 0) {
                throw new VesselException(
                        ProblemType.TIMEOUT,
                        "QMP socket " + socket + " did not accept a connection within " + timeout.toMillis() + " ms: "
                                + notYet.getMessage(),
                        Map.of("socket", socket.toString()),
                        notYet);
            }
            try {
                Thread.sleep(Math.min(RETRY_MILLIS, Math.max(1, QmpClient.remaining(deadline) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VesselException.host("interrupted while connecting to QMP socket " + socket, e);
            }
        }
    }
}
