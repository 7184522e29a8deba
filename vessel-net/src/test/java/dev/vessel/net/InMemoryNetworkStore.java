package dev.vessel.net;

import dev.vessel.core.error.VesselException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Networks and forwards in memory, for tests. */
public final class InMemoryNetworkStore implements NetworkStore {
    private final List<NetworkSpec> networks = new ArrayList<>();
    private final List<PortForward> forwards = new ArrayList<>();

    @Override
    public synchronized List<NetworkSpec> networks() {
        return networks.stream().sorted(Comparator.comparing(NetworkSpec::name)).toList();
    }

    @Override
    public synchronized void insert(NetworkSpec spec) {
        if (networks.stream().anyMatch(n -> n.name().equals(spec.name()))) {
            throw VesselException.exists("network", spec.name());
        }
        networks.add(spec);
    }

    @Override
    public synchronized void delete(String name) {
        networks.removeIf(n -> n.name().equals(name));
    }

    @Override
    public synchronized List<PortForward> forwards() {
        return List.copyOf(forwards);
    }

    @Override
    public synchronized void insertForward(PortForward forward) {
        forwards.add(forward);
    }

    @Override
    public synchronized void deleteForward(PortForward forward) {
        forwards.remove(forward);
    }
}
