package dev.vessel.engine.net;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.engine.store.Database;
import dev.vessel.engine.store.SqliteIpamStore;
import dev.vessel.engine.store.SqliteNetworkStore;
import dev.vessel.net.HostNet;
import dev.vessel.net.Lease;
import dev.vessel.net.NetworkManager;
import dev.vessel.net.NetworkSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The daemon's managed networks: the library's {@link NetworkManager} on the SQLite store, switched on only when this
 * daemon has networks to manage. A daemon that never had one (no default network, none created) touches nothing of
 * the host's networking, and a second daemon in a namespace another one manages runs without networks rather than
 * fight over the same bridges and nft tables ({@link NetnsLock}). Everything else asks here.
 */
public final class NetworkHub {
    private static final System.Logger LOG = System.getLogger(NetworkHub.class.getName());
    public static final String DEFAULT = "default";
    /** Written once the default network was made (or found), so that removing it is for good. */
    static final String DEFAULT_MADE = "default-network-made";

    private final HostNet host;
    private final Path stateDir;
    private final Database db;
    private final String defaultSubnet;
    private volatile NetworkManager manager;
    private volatile NetnsLock lock;
    private volatile String offReason;

    public NetworkHub(HostNet host, Path stateDir, Database db, String defaultSubnet) {
        this.host = host;
        this.stateDir = stateDir;
        this.db = db;
        this.defaultSubnet = defaultSubnet;
    }

    public HostNet host() {
        return host;
    }

    /**
     * At daemon start: if this daemon manages networks (a default network is configured, or it has made networks
     * before), takes the namespace, brings back bridges, dnsmasq and rules, and makes the default network unless it
     * was made once already (one the user removed stays removed; one that could not be made, say for a subnet that
     * overlaps the host's routes, is tried again with the next start's setting).
     */
    public synchronized void start() {
        Path made = stateDir.resolve(DEFAULT_MADE);
        boolean wantDefault = defaultSubnet != null && !Files.exists(made);
        if (!Files.isDirectory(stateDir) && !wantDefault) {
            offReason = "no network was ever created here";
            return;
        }
        if (!activate()) {
            LOG.log(System.Logger.Level.WARNING, "managed networks are off: " + offReason);
            return;
        }
        manager.restore();
        if (wantDefault) {
            try {
                if (manager.list().stream().noneMatch(n -> n.name().equals(DEFAULT))) {
                    manager.create(NetworkSpec.parse(DEFAULT, defaultSubnet, null, true, false, List.of()));
                    LOG.log(System.Logger.Level.INFO, "created the default network (" + defaultSubnet + ", NAT)");
                }
                dev.vessel.host.AtomicFiles.write(made, defaultSubnet + "\n");
            } catch (VesselException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "cannot create the default network " + defaultSubnet + ": " + e.getMessage()
                                + "; VMs get no NIC unless given --network (set default-network to another subnet, or none)");
            }
        }
    }

    /** Takes the namespace's lock and makes the manager; false (with {@link #offReason}) if another daemon has it. */
    private boolean activate() {
        if (manager != null) {
            return true;
        }
        var r = NetnsLock.acquire(host.netnsId());
        if (r.lock().isEmpty()) {
            offReason =
                    "another Vessel daemon (pid " + r.holderPid() + ") manages the networks of this network namespace";
            return false;
        }
        try {
            Files.createDirectories(stateDir);
            // dnsmasq drops to "nobody" and re-reads its files from here: the directory must be reachable.
            Files.setPosixFilePermissions(
                    stateDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + stateDir, e);
        }
        lock = r.lock().get();
        manager = new NetworkManager(host, stateDir, new SqliteNetworkStore(db), new SqliteIpamStore(db));
        offReason = null;
        return true;
    }

    /** After adoption: frees what instances that no longer exist held, and reaps host objects nothing owns. */
    public void reconcile(Set<String> liveInstanceIds) {
        if (manager != null) {
            var report = manager.reconcile(liveInstanceIds);
            if (!report.empty()) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "networks: reaped links " + report.links() + ", dnsmasq " + report.dnsmasqPids()
                                + ", directories " + report.stateDirs() + ", leases of gone instances "
                                + report.leases().size());
            }
        }
    }

    public boolean enabled() {
        return manager != null;
    }

    /** The manager; activates networking on first use (creating a network), or says why it is off. */
    public synchronized NetworkManager manager() {
        if (manager == null && !activate()) {
            throw new VesselException(ProblemType.UNAVAILABLE, "managed networks are off in this daemon: " + offReason);
        }
        return manager;
    }

    /**
     * The network an instance of a project whose networks live in {@code networkProject} joins when it is given none:
     * that project's network named "default" while it exists (the node's one in the default project, which only a
     * daemon with a default network has; a project with networks of its own makes its own "default" if it wants one).
     */
    public Optional<String> defaultNetwork(String networkProject) {
        boolean node =
                networkProject == null || networkProject.equals(dev.vessel.core.model.ProjectKey.DEFAULT_PROJECT);
        if (manager == null || (node && defaultSubnet == null)) {
            return Optional.empty();
        }
        String key = dev.vessel.core.model.ProjectKey.of(networkProject, DEFAULT);
        return manager.list().stream()
                .map(NetworkSpec::name)
                .filter(key::equals)
                .findFirst();
    }

    /** The leases of an instance's NICs, by NIC index; empty while networking is off. */
    public List<Lease> leases(Instance i) {
        if (manager == null) {
            return List.of();
        }
        return manager.ipam().leases().stream()
                .filter(l -> l.owner().instanceId().equals(i.id()))
                .sorted(Comparator.comparingInt(l -> l.owner().nic()))
                .toList();
    }

    public void close() {
        if (lock != null) {
            lock.close();
        }
    }
}
