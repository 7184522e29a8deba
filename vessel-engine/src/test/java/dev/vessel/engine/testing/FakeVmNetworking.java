package dev.vessel.engine.testing;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.NicSpec;
import dev.vessel.engine.net.PortOps;
import dev.vessel.engine.net.VmNetworking;
import dev.vessel.model.NicRequest;
import dev.vessel.net.PortForward;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Networks without bridges or dnsmasq: the networks a test names exist, each NIC gets the next MAC, and what an
 * instance holds is kept so that a test can check that a failed create gave everything back.
 */
public final class FakeVmNetworking implements VmNetworking {
    private final Set<String> networks = ConcurrentHashMap.newKeySet();
    private final Map<String, List<NicSpec>> held = new ConcurrentHashMap<>();
    private final Map<String, List<PortForward>> published = new ConcurrentHashMap<>();
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final AtomicInteger macs = new AtomicInteger();
    private volatile String defaultNetwork;

    public FakeVmNetworking(String defaultNetwork) {
        this.defaultNetwork = defaultNetwork;
        if (defaultNetwork != null) {
            networks.add(defaultNetwork);
        }
    }

    public void addNetwork(String name) {
        networks.add(name);
    }

    /** The published ports, by instance name. */
    public Map<String, List<PortForward>> publishedByName() {
        return Map.copyOf(published);
    }

    /** What each instance holds now, by instance id. */
    public Map<String, List<NicSpec>> held() {
        return Map.copyOf(held);
    }

    @Override
    public List<PortForward> parsePorts(String name, List<String> specs) {
        var out = new ArrayList<PortForward>();
        for (String p : specs == null ? List.<String>of() : specs) {
            out.add(PortOps.parse(p, name));
        }
        return out;
    }

    @Override
    public List<NicSpec> reserve(String id, String name, List<NicRequest> requested) {
        names.put(id, name);
        List<NicRequest> wanted = requested != null
                ? requested
                : defaultNetwork == null ? List.of() : List.of(new NicRequest(defaultNetwork, null));
        var out = new ArrayList<NicSpec>();
        for (int i = 0; i < wanted.size(); i++) {
            String net = wanted.get(i).network();
            if (!networks.contains(net)) {
                throw VesselException.notFound("network", net);
            }
            out.add(new NicSpec(i, net, wanted.get(i).ip(), mac()));
        }
        if (!out.isEmpty()) {
            held.put(id, List.copyOf(out));
        }
        return out;
    }

    @Override
    public List<NicSpec> reserveLike(String id, String name, List<NicSpec> nics) {
        names.put(id, name);
        var out = new ArrayList<NicSpec>();
        for (NicSpec n : nics) {
            if (!networks.contains(n.network())) {
                throw VesselException.notFound("network", n.network());
            }
            out.add(new NicSpec(n.index(), n.network(), null, mac()));
        }
        if (!out.isEmpty()) {
            held.put(id, List.copyOf(out));
        }
        return out;
    }

    @Override
    public void publish(List<PortForward> forwards) {
        for (PortForward f : forwards) {
            published
                    .computeIfAbsent(f.targetInstance(), k -> new ArrayList<>())
                    .add(f);
        }
    }

    @Override
    public void release(String id, RuntimeException cause) {
        held.remove(id);
        String name = names.remove(id);
        if (name != null) {
            published.remove(name);
        }
    }

    private String mac() {
        return String.format(
                Locale.ROOT, "0a:56:65:00:%02x:%02x", (macs.get() >> 8) & 0xff, macs.incrementAndGet() & 0xff);
    }
}
