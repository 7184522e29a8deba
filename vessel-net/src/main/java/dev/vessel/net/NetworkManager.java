package dev.vessel.net;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The managed networks: what {@code vessel network create|ls|inspect|rm} and {@code vessel port add|rm|ls} call. It
 * keeps the host (bridges, dnsmasq, nft tables, ip_forward) in line with the store, changing the store only when the
 * host change worked and undoing host changes that the store refused. Network changes are rare and touch shared
 * host state (the one nft table), so they run one at a time.
 */
public final class NetworkManager {
    private final HostNet host;
    private final Path stateRoot;
    private final NetworkStore store;
    private final Ipam ipam;
    private final BridgeNetwork bridges;
    private final NftRules nft;
    private final IpForwarding forwarding;
    private final ProcFs proc;
    private final ReentrantLock lock = new ReentrantLock();

    public NetworkManager(HostNet host, Path stateRoot, NetworkStore store, IpamStore ipamStore) {
        this(host, stateRoot, store, ipamStore, ProcFs.system());
    }

    NetworkManager(HostNet host, Path stateRoot, NetworkStore store, IpamStore ipamStore, ProcFs proc) {
        this.proc = proc;
        this.host = host;
        this.stateRoot = stateRoot.toAbsolutePath();
        this.store = store;
        this.ipam = new Ipam(ipamStore);
        this.bridges = new BridgeNetwork(host);
        this.nft = new NftRules(host);
        this.forwarding = new IpForwarding(host, this.stateRoot);
    }

    public Ipam ipam() {
        return ipam;
    }

    public NetworkSpec create(NetworkSpec spec) {
        lock.lock();
        try {
            if (store.network(spec.name()).isPresent()) {
                throw VesselException.exists("network", spec.name());
            }
            List<NetworkSpec> existing = store.networks();
            spec.requireNoOverlap(existing);
            for (NetworkSpec other : existing) {
                if (other.bridge().equals(spec.bridge())) {
                    throw VesselException.inUse("network '" + spec.name() + "' would share bridge " + spec.bridge()
                            + " with '" + other.name() + "'; choose another name");
                }
            }
            RouteCheck.requireNoOverlap(
                    spec.subnet(),
                    host.ip("-j", "-4", "route", "show", "table", "main").stdout());
            // A bridge of that name is a leftover from a crash (no network owns it): start from a clean one.
            bridges.deleteLink(spec.bridge());
            bridges.create(spec);
            DnsmasqProcess dns = dnsmasq(spec);
            boolean stored = false;
            try {
                dns.writeFiles(List.of());
                dns.start();
                store.insert(spec);
                stored = true;
                applyRules();
            } catch (RuntimeException e) {
                if (stored) {
                    BridgeNetwork.undo(e, () -> store.delete(spec.name()));
                    BridgeNetwork.undo(e, this::applyRules);
                }
                BridgeNetwork.undo(e, dns::destroy);
                BridgeNetwork.undo(e, () -> bridges.delete(spec));
                throw e;
            }
            return spec;
        } finally {
            lock.unlock();
        }
    }

    /** Deletes a network that no instance uses: its rules, dnsmasq (with its files and leases) and bridge. */
    public void delete(String name) {
        lock.lock();
        try {
            NetworkSpec spec = require(name);
            List<Lease> leases = ipam.leases(name);
            if (!leases.isEmpty()) {
                String users = leases.stream()
                        .map(l -> "'" + l.hostname() + "'")
                        .distinct()
                        .collect(Collectors.joining(", "));
                throw new VesselException(
                        ProblemType.IN_USE,
                        "network '" + name + "' is in use by " + users,
                        Map.of("network", name),
                        null);
            }
            // The record goes first: should a later step fail, what remains is unowned and the reaper removes it,
            // whereas the other order could leave a network in the store whose bridge is already gone.
            store.delete(name);
            applyRules();
            dnsmasq(spec).destroy();
            bridges.delete(spec);
        } finally {
            lock.unlock();
        }
    }

    public List<NetworkSpec> list() {
        return store.networks();
    }

    public NetworkInfo inspect(String name) {
        NetworkSpec spec = require(name);
        List<Lease> leases = ipam.leases(name);
        Set<String> here = leases.stream().map(Lease::hostname).collect(Collectors.toSet());
        var pid = dnsmasq(spec).pid();
        return new NetworkInfo(
                spec,
                spec.bridge(),
                bridges.exists(spec.bridge()),
                pid.isPresent() ? pid.getAsLong() : null,
                leases,
                store.forwards().stream()
                        .filter(f -> here.contains(f.targetInstance()))
                        .toList());
    }

    /** Gives a container's NIC an address on the network and plugs a veth into its namespace. Idempotent per owner. */
    public Lease attachContainer(String network, AllocationRequest req, NetnsRef ns, ContainerNic nic) {
        return attach(network, req, (spec, lease) -> {
            bridges.attachVeth(spec, lease, ns, nic);
            return lease;
        });
    }

    /**
     * Gives a VM's NIC an address and a tap: in this namespace when {@code ns} is empty, else inside the VM runtime's
     * namespace. {@code uid} (nullable) will own the tap.
     */
    public VmNic attachVm(String network, AllocationRequest req, Optional<NetnsRef> ns, Integer uid) {
        return attach(
                network,
                req,
                (spec, lease) -> ns.isPresent()
                        ? bridges.attachTapInside(spec, lease, ns.get(), uid)
                        : bridges.attachTap(spec, lease, uid));
    }

    /**
     * Gives a NIC its address and MAC without plugging anything: a VM reserves them when it is created, so that its
     * address is known (and its name resolves) before it first starts. Idempotent per owner.
     */
    public Lease reserve(String network, AllocationRequest req) {
        return attach(network, req, (spec, lease) -> lease);
    }

    private <T> T attach(String network, AllocationRequest req, BiFunction<NetworkSpec, Lease, T> plug) {
        lock.lock();
        try {
            NetworkSpec spec = require(network);
            boolean fresh = ipam.leases().stream().noneMatch(l -> l.owner().equals(req.owner()));
            Lease lease = ipam.allocate(spec, req);
            try {
                // dnsmasq learns the MAC before the NIC exists, so the guest's first DHCP request already gets its
                // lease.
                dnsmasq(spec).reload(ipam.leases(network));
                T plugged = plug.apply(spec, lease);
                applyRules();
                return plugged;
            } catch (RuntimeException e) {
                if (fresh) {
                    BridgeNetwork.undo(e, () -> ipam.release(req.owner()));
                    BridgeNetwork.undo(e, () -> dnsmasq(spec).reload(ipam.leases(network)));
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes an instance's host links (it stopped) but keeps its addresses for the next start. */
    public void unplug(String instanceId) {
        lock.lock();
        try {
            ipam.leases().stream()
                    .filter(l -> l.owner().instanceId().equals(instanceId))
                    .forEach(l -> bridges.detach(l.owner()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes one NIC's links: on the host, and inside {@code ns} when the NIC was plugged into a namespace that lives
     * on (a running VM). Its address stays reserved.
     */
    public void unplugNic(LeaseOwner owner, Optional<NetnsRef> ns) {
        lock.lock();
        try {
            bridges.detach(owner);
            ns.ifPresent(n -> bridges.detachInside(n, owner.nic()));
        } finally {
            lock.unlock();
        }
    }

    /** One NIC is removed from its instance: its links, its lease and name, and forwards that lost their target. */
    public Optional<Lease> releaseNic(LeaseOwner owner) {
        lock.lock();
        try {
            bridges.detach(owner);
            Optional<Lease> gone = ipam.release(owner);
            afterLeasesGone(gone.stream().toList());
            return gone;
        } finally {
            lock.unlock();
        }
    }

    /** The instance is removed: its links, leases, names and published ports go. */
    public List<Lease> release(String instanceId) {
        lock.lock();
        try {
            unplug(instanceId);
            List<Lease> gone = ipam.releaseInstance(instanceId);
            afterLeasesGone(gone);
            return gone;
        } finally {
            lock.unlock();
        }
    }

    public PortForward addForward(PortForward f) {
        lock.lock();
        try {
            if (target(f.targetInstance()).isEmpty()) {
                throw VesselException.state("instance '" + f.targetInstance() + "' has no address on any network");
            }
            PortConflicts.check(f, store.forwards(), SocketListing.parse(host.listeningSockets()));
            store.insertForward(f);
            try {
                applyRules();
            } catch (RuntimeException e) {
                BridgeNetwork.undo(e, () -> store.deleteForward(f));
                throw e;
            }
            return f;
        } finally {
            lock.unlock();
        }
    }

    /** Removes the forward of exactly that host address (null: all addresses), port and protocol. */
    public PortForward removeForward(Ipv4 hostIp, int hostPort, Protocol protocol) {
        lock.lock();
        try {
            PortForward f = store.forwards().stream()
                    .filter(x -> x.hostPort() == hostPort
                            && x.protocol() == protocol
                            && java.util.Objects.equals(x.hostIp(), hostIp))
                    .findFirst()
                    .orElseThrow(() -> VesselException.notFound(
                            "port forward", (hostIp == null ? "" : hostIp + ":") + hostPort + "/" + protocol));
            store.deleteForward(f);
            applyRules();
            return f;
        } finally {
            lock.unlock();
        }
    }

    public List<PortForward> forwards() {
        return store.forwards();
    }

    /** After a daemon (re)start: bridges back if the host rebooted, dnsmasq adopted or started, rules re-applied. */
    public void restore() {
        lock.lock();
        try {
            for (NetworkSpec spec : store.networks()) {
                boolean bridgeWasThere = bridges.exists(spec.bridge());
                bridges.ensure(spec);
                DnsmasqProcess dns = dnsmasq(spec);
                dns.writeFiles(ipam.leases(spec.name()));
                if (!bridgeWasThere) {
                    // A dnsmasq that outlived its bridge is bound to an interface that is gone: it must bind again.
                    dns.stop();
                }
                dns.start();
            }
            applyRules();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Frees leases of instances that no longer exist, removes their forwards, and reaps host objects nothing owns;
     * then re-renders the rules, which drops any stale ones.
     */
    public NetReaper.Report reconcile(Set<String> liveInstanceIds) {
        lock.lock();
        try {
            List<Lease> gone = ipam.reconcile(liveInstanceIds);
            afterLeasesGone(gone);
            var r = new NetReaper(host, proc, stateRoot).reap(store.networks(), ipam.leases());
            applyRules();
            return new NetReaper.Report(r.links(), r.dnsmasqPids(), r.stateDirs(), gone);
        } finally {
            lock.unlock();
        }
    }

    /** Tears everything down (tests, uninstall): forwards, networks with their leases, rules. */
    public void destroyAll() {
        lock.lock();
        try {
            store.forwards().forEach(store::deleteForward);
            for (NetworkSpec spec : store.networks()) {
                ipam.leases(spec.name()).forEach(l -> {
                    bridges.detach(l.owner());
                    ipam.release(l.owner());
                });
                store.delete(spec.name());
                dnsmasq(spec).destroy();
                bridges.delete(spec);
            }
            applyRules();
            AtomicFiles.deleteTree(stateRoot.resolve("networks"));
        } finally {
            lock.unlock();
        }
    }

    private void afterLeasesGone(List<Lease> gone) {
        Set<String> names = new HashSet<>();
        Set<String> networks = new HashSet<>();
        gone.forEach(l -> {
            names.add(l.hostname());
            networks.add(l.network());
        });
        for (PortForward f : store.forwards()) {
            if (names.contains(f.targetInstance()) && target(f.targetInstance()).isEmpty()) {
                store.deleteForward(f);
            }
        }
        for (String n : networks) {
            store.network(n).ifPresent(spec -> {
                DnsmasqProcess dns = dnsmasq(spec);
                dns.reload(ipam.leases(n));
                dns.forget(gone.stream().filter(l -> l.network().equals(n)).toList());
            });
        }
        applyRules();
    }

    private void applyRules() {
        List<NetworkSpec> networks = store.networks();
        List<PortForward> forwards = store.forwards();
        var resolved = new ArrayList<NftRuleset.ResolvedForward>();
        for (PortForward f : forwards) {
            target(f.targetInstance()).ifPresent(a -> resolved.add(new NftRuleset.ResolvedForward(f, a)));
        }
        nft.apply(networks, resolved);
        forwarding.update(IpForwarding.needed(networks, forwards));
    }

    /** An instance's address for published ports: that of its lowest NIC. */
    private Optional<Ipv4> target(String instanceName) {
        return ipam.leases().stream()
                .filter(l -> l.hostname().equals(instanceName))
                .min(Comparator.comparingInt(l -> l.owner().nic()))
                .map(Lease::address);
    }

    private NetworkSpec require(String name) {
        return store.network(name).orElseThrow(() -> VesselException.notFound("network", name));
    }

    private DnsmasqProcess dnsmasq(NetworkSpec spec) {
        return new DnsmasqProcess(host, proc, spec, DnsmasqFiles.of(stateRoot, spec.name()));
    }

    /** The leases dnsmasq has granted on {@code network} (see {@link DhcpLeases}), by MAC. */
    public java.util.Map<String, DhcpLeases.Granted> granted(String network) {
        return DhcpLeases.read(DnsmasqFiles.of(stateRoot, network).leases());
    }
}
