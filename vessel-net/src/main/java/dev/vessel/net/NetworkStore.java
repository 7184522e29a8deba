package dev.vessel.net;

import java.util.List;
import java.util.Optional;

/**
 * Where networks and port forwards are kept. The daemon backs this with its SQLite store; an in-memory
 * one in this module's test-jar serves tests. Host objects (bridges, rules, dnsmasq) are never stored: they are derived from
 * this, which is what lets {@link NetworkManager#restore} and {@link NetReaper} rebuild or clean them.
 */
public interface NetworkStore {
    List<NetworkSpec> networks();

    default Optional<NetworkSpec> network(String name) {
        return networks().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** Inserts, or throws already-exists when the name is taken. */
    void insert(NetworkSpec spec);

    void delete(String name);

    List<PortForward> forwards();

    void insertForward(PortForward forward);

    void deleteForward(PortForward forward);
}
