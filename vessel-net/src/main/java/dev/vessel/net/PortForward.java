package dev.vessel.net;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.vessel.core.error.VesselException;
import java.util.Objects;

/**
 * A published port: connections to {@code hostIp:hostPort} (any local address when {@code hostIp} is null) are
 * DNATed to {@code targetPort} of the instance's address.
 */
public record PortForward(Ipv4 hostIp, int hostPort, Protocol protocol, String targetInstance, int targetPort) {
    public PortForward {
        requirePort("hostPort", hostPort);
        requirePort("targetPort", targetPort);
        Objects.requireNonNull(protocol, "protocol");
        dev.vessel.core.model.ProjectKey.parse("target", targetInstance);
    }

    /**
     * Parses the CLI form {@code [HOST_IP:]HOST_PORT:TARGET_PORT[/PROTO]}, e.g. {@code 8080:80}, {@code
     * 127.0.0.1:8443:443/tcp}, {@code 5353:53/udp}.
     */
    public static PortForward parse(String spec, String targetInstance) {
        if (spec == null || spec.isEmpty()) {
            throw VesselException.invalid("port", "a port mapping like 8080:80 or 127.0.0.1:8080:80/tcp is required");
        }
        String mapping = spec;
        Protocol proto = Protocol.TCP;
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            proto = Protocol.parse("port", spec.substring(slash + 1));
            mapping = spec.substring(0, slash);
        }
        String[] parts = mapping.split(":", -1);
        return switch (parts.length) {
            case 2 -> new PortForward(null, port("port", parts[0]), proto, targetInstance, port("port", parts[1]));
            case 3 ->
                new PortForward(
                        Ipv4.parse("port", parts[0]),
                        port("port", parts[1]),
                        proto,
                        targetInstance,
                        port("port", parts[2]));
            default ->
                throw VesselException.invalid(
                        "port", "'" + spec + "' is not HOST_PORT:TARGET_PORT or HOST_IP:HOST_PORT:TARGET_PORT");
        };
    }

    static int port(String field, String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw VesselException.invalid(field, "'" + text + "' is not a port number");
        }
        return requirePort(field, Integer.parseInt(text));
    }

    static int requirePort(String field, int port) {
        if (port < 1 || port > 65535) {
            throw VesselException.invalid(field, port + " is outside 1..65535");
        }
        return port;
    }

    /** Whether both would claim the same packets: same protocol and port, and an address in common. */
    public boolean clashes(PortForward o) {
        return protocol == o.protocol
                && hostPort == o.hostPort
                && (hostIp == null || o.hostIp == null || hostIp.equals(o.hostIp));
    }

    /** "8080/tcp" or "127.0.0.1:8080/tcp", as messages name it. */
    @JsonIgnore
    public String hostSide() {
        return (hostIp == null ? "" : hostIp + ":") + hostPort + "/" + protocol;
    }
}
