package dev.vessel.net;

import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns {@code net.ipv4.ip_forward} on while Vessel needs routing (a NAT network, a peering or a published port) and
 * back to what it was once nothing needs it. The previous value is kept in a file, so a daemon restart in between
 * still restores the admin's setting; while that file exists, the current "1" is ours.
 */
public final class IpForwarding {
    static final String KEY = "net.ipv4.ip_forward";

    private final HostNet host;
    private final Path previousFile;

    public IpForwarding(HostNet host, Path stateRoot) {
        this.host = host;
        this.previousFile = stateRoot.resolve("ip_forward.previous");
    }

    public static boolean needed(java.util.List<NetworkSpec> networks, java.util.List<PortForward> forwards) {
        return !forwards.isEmpty()
                || networks.stream().anyMatch(n -> n.nat() || !n.peers().isEmpty());
    }

    public void update(boolean needed) {
        boolean ours = Files.exists(previousFile);
        if (needed && !ours) {
            String previous = host.sysctl(KEY);
            if (!previous.equals("1")) {
                AtomicFiles.write(previousFile, previous + "\n");
                host.sysctl(KEY, "1");
            }
        } else if (!needed && ours) {
            String previous = read();
            host.sysctl(KEY, previous);
            try {
                Files.delete(previousFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + previousFile, e);
            }
        }
    }

    private String read() {
        try {
            String v = Files.readString(previousFile).strip();
            // Only the two values the kernel knows; anything else means the file is not ours to trust.
            return v.equals("0") || v.equals("1") ? v : "0";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + previousFile, e);
        }
    }
}
