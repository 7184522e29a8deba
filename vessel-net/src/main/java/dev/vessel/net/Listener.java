package dev.vessel.net;

/**
 * A socket listening on the host (TCP in LISTEN, or an unconnected UDP socket).
 *
 * @param address the local address as ss prints it without brackets or scope: "0.0.0.0", "::", "*", "127.0.0.1"
 * @param process the first owning process's name, or null when ss could not tell (a kernel socket)
 * @param pid its pid, or 0
 */
public record Listener(Protocol protocol, String address, int port, String process, long pid) {
    /** Whether it accepts connections to every local address. */
    public boolean wildcard() {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("*");
    }

    /** Whether a forward on {@code hostIp} (null: every address) would take this socket's traffic. */
    public boolean blocks(PortForward f) {
        return f.protocol() == protocol
                && f.hostPort() == port
                && (f.hostIp() == null
                        || wildcard()
                        || address.equals(f.hostIp().toString())
                        || address.equals("::ffff:" + f.hostIp()));
    }

    public String holder() {
        return process == null ? "a socket on " + address + " (owner unknown)" : process + " (pid " + pid + ")";
    }
}
