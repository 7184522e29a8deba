import dev.vessel.engine.store.Database;
import dev.vessel.engine.store.SqliteIpamStore;
import dev.vessel.engine.store.SqliteNetworkStore;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import dev.vessel.net.AllocationRequest;
import dev.vessel.net.ContainerNic;
import dev.vessel.net.HostNet;
import dev.vessel.net.Lease;
import dev.vessel.net.LeaseOwner;
import dev.vessel.net.NetnsRef;
import dev.vessel.net.NetworkManager;
import dev.vessel.net.NetworkSpec;
import dev.vessel.net.PortForward;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Network set-up per container, Vessel against the bare commands, run inside a network namespace of its own (the
 * "host"; bench/net/run starts this JVM in it with nsenter, as a daemon would run there).
 *
 * <p>Vessel: {@code ip netns add} (runc makes a container's namespace; here the same command stands in for it) and
 * then exactly what the daemon does for a container ({@code NetworkManager.attachContainer} on the daemon's SQLite
 * store): the address from IPAM in one transaction, dnsmasq's host files rewritten and a SIGHUP, the veth into the
 * namespace on the network's bridge, address, link and default route inside, and the whole nft rule set re-applied.
 * Raw: bench/net/raw-veth, the same namespace, veth, address and route as six plain {@code ip} commands in one bash.
 *
 * <p>Usage: java -cp vessel.jar NetBench.java STATE_DIR RAW_SCRIPT RESULT.json COUNT. Prints a Markdown table.
 */
public class NetBench {
    static final Duration T = Duration.ofSeconds(30);
    static final ProcessRunner RUN = new ProcessRunner();

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        String raw = args[1];
        Path out = Path.of(args[2]);
        int n = Integer.parseInt(args[3]);
        var db = new Database(state.resolve("vessel.db"));
        var manager = new NetworkManager(HostNet.host(RUN), state.resolve("net"), new SqliteNetworkStore(db), new SqliteIpamStore(db));
        NetworkSpec net = manager.create(NetworkSpec.parse("bench", "10.200.0.0/16", null, true, false, List.of()));
        // A few published ports, so the rule set re-applied on every change is not the empty one.
        RUN.run(T, "ip", "link", "add", "vb-raw-br", "type", "bridge");
        RUN.run(T, "ip", "addr", "add", "10.201.0.1/16", "dev", "vb-raw-br");
        RUN.run(T, "ip", "link", "set", "vb-raw-br", "up");

        var vesselUp = new ArrayList<Double>();
        var vesselDown = new ArrayList<Double>();
        var rawUp = new ArrayList<Double>();
        var rawDown = new ArrayList<Double>();
        // Warm-up: the JIT, dnsmasq's first reload, nft's first full apply.
        for (int i = 0; i < 3; i++) {
            vessel(manager, net, "w" + i, new ArrayList<>(), new ArrayList<>());
            rawOne(raw, "w" + i, 250 + i, new ArrayList<>(), new ArrayList<>());
        }
        var leases = new ArrayList<Lease>();
        // Interleaved, so that noise from the shared machine hits both alike; containers stay up until the end, so the
        // later ones pay for a bigger rule set and host file, as on a busy host.
        for (int i = 0; i < n; i++) {
            leases.add(vesselUpOnly(manager, net, "c" + i, vesselUp));
            rawUpOnly(raw, "c" + i, 2 + i, rawUp);
            if (i % 5 == 0) {
                manager.addForward(PortForward.parse((20000 + i) + ":80", "c" + i));
            }
        }
        int forwards = manager.forwards().size();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            manager.release("bench-c" + i);
            RUN.run(T, "ip", "netns", "del", "vb-c" + i);
            vesselDown.add(ms(t0));
            long t1 = System.nanoTime();
            RUN.run(T, raw, "down", "vb-r" + i, "vb-rv" + i);
            rawDown.add(ms(t1));
        }
        manager.destroyAll();
        RUN.run(T, "ip", "link", "del", "vb-raw-br");
        db.close();

        var results = new LinkedHashMap<String, Object>();
        results.put("containers", n);
        results.put("forwardsWhileRunning", forwards);
        results.put("vesselUpMs", stats(vesselUp));
        results.put("rawUpMs", stats(rawUp));
        results.put("vesselDownMs", stats(vesselDown));
        results.put("rawDownMs", stats(rawDown));
        results.put("vesselUpFirstLastMs", List.of(vesselUp.getFirst(), vesselUp.getLast()));
        Files.writeString(out, Json.pretty(results) + "\n");
        System.out.println("| benchmark | vessel | raw peer | ratio / target |");
        System.out.println("| --- | --- | --- | --- |");
        System.out.println(row("network set-up per container: namespace + veth + address + route" + " (median of " + n + "; min-max)",
                vesselUp, rawUp, "+ IPAM in SQLite, dnsmasq host files + HUP, nft rule set"));
        System.out.println(row("teardown per container (median of " + n + "; min-max)", vesselDown, rawDown,
                "+ lease released, dnsmasq updated, rules re-applied"));
        System.out.printf(Locale.ROOT, "| set-up of the 1st and the %dth container (%d of them up, %d published ports) | %.1f / %.1f ms | - | (information) |%n",
                n, n - 1, forwards, vesselUp.getFirst(), vesselUp.getLast());
    }

    static Lease vesselUpOnly(NetworkManager m, NetworkSpec net, String name, List<Double> times) {
        long t0 = System.nanoTime();
        RUN.run(T, "ip", "netns", "add", "vb-" + name);
        Lease l = m.attachContainer(net.name(), AllocationRequest.dynamic(new LeaseOwner("bench-" + name, 0), name),
                new NetnsRef.Named("vb-" + name), ContainerNic.staticAddress(0));
        times.add(ms(t0));
        return l;
    }

    static void vessel(NetworkManager m, NetworkSpec net, String name, List<Double> up, List<Double> down) {
        vesselUpOnly(m, net, name, up);
        long t0 = System.nanoTime();
        m.release("bench-" + name);
        RUN.run(T, "ip", "netns", "del", "vb-" + name);
        down.add(ms(t0));
    }

    static void rawUpOnly(String raw, String name, int host, List<Double> times) {
        long t0 = System.nanoTime();
        String ip = "10.201." + (host / 250) + "." + (host % 250 + 2);
        RUN.run(T, raw, "up", "vb-r" + name.substring(1), "vb-rv" + name.substring(1), ip + "/16", "10.201.0.1", "vb-raw-br");
        times.add(ms(t0));
    }

    static void rawOne(String raw, String name, int host, List<Double> up, List<Double> down) {
        rawUpOnly(raw, name, host, up);
        long t0 = System.nanoTime();
        RUN.run(T, raw, "down", "vb-r" + name.substring(1), "vb-rv" + name.substring(1));
        down.add(ms(t0));
    }

    static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    static Map<String, Double> stats(List<Double> xs) {
        var s = new ArrayList<>(xs);
        Collections.sort(s);
        var m = new LinkedHashMap<String, Double>();
        m.put("median", s.get(s.size() / 2));
        m.put("min", s.getFirst());
        m.put("max", s.getLast());
        return m;
    }

    static String row(String what, List<Double> vessel, List<Double> raw, String extra) {
        var v = stats(vessel);
        var r = stats(raw);
        return String.format(Locale.ROOT, "| %s | %.1f ms (%.1f-%.1f) | `raw-veth` %.1f ms (%.1f-%.1f) | +%.1f ms, %.2fx (%s) |", what,
                v.get("median"), v.get("min"), v.get("max"), r.get("median"), r.get("min"), r.get("max"), v.get("median") - r.get("median"),
                v.get("median") / r.get("median"), extra);
    }
}
