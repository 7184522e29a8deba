package dev.vessel.engine.instance;

/**
 * What {@code start --wait} waits for, so that "ready" always means something the guest did: a line it printed on its
 * console, the DHCP lease it asked for, or a TCP port of it that answers.
 */
public sealed interface ReadySign {
    /** In words, for the task log: "the ready marker 'VESSEL-READY' on its console". */
    String describe();

    record Marker(String text) implements ReadySign {
        @Override
        public String describe() {
            return "the ready marker '" + text + "' on its console";
        }
    }

    /** The guest holds the DHCP lease of its first NIC on a managed network. */
    record DhcpLease(int nic, String network, String ip) implements ReadySign {
        @Override
        public String describe() {
            return "its DHCP lease of " + ip + " on network " + network + " (nic" + nic + ")";
        }
    }

    /** A TCP connection to the guest's address on {@code port} is accepted. */
    record TcpPort(String ip, int port) implements ReadySign {
        @Override
        public String describe() {
            return "TCP port " + port + " answering on " + ip;
        }
    }
}
