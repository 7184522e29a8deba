package dev.vessel.engine.net;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.NicSpec;
import dev.vessel.core.model.ProjectKey;
import dev.vessel.core.model.VmSpec;
import dev.vessel.engine.instance.InstanceOps;
import dev.vessel.model.NicRequest;
import dev.vessel.model.NicView;
import dev.vessel.net.Ipv4;
import dev.vessel.net.Lease;
import dev.vessel.net.LeaseOwner;
import dev.vessel.net.NetnsRef;
import dev.vessel.qemu.GuestNic;
import dev.vessel.qemu.QemuVmDriver;
import dev.vessel.qemu.net.NicDevices;
import dev.vessel.qemu.qmp.QmpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code vessel vm nic add|rm|ls}. A NIC added to a running VM is plugged at once ({@code netdev_add} of a tap made in
 * the VM's namespace, {@code device_add} on a hot-plug port), one removed is unplugged first; either way the spec
 * keeps the change for the next start. A VM that started without NICs has no /dev/net/tun in its container, so it
 * takes its first NIC only while stopped.
 */
public final class NicOps {
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(15);

    private final NetworkHub hub;
    private final InstanceOps ops;
    private final QemuVmDriver vms;
    private final dev.vessel.engine.project.ProjectScopes scopes;

    public NicOps(NetworkHub hub, InstanceOps ops, QemuVmDriver vms, dev.vessel.engine.project.ProjectScopes scopes) {
        this.hub = hub;
        this.ops = ops;
        this.vms = vms;
        this.scopes = scopes;
    }

    public List<NicView> list(String name) {
        return views(vm(name));
    }

    /**
     * The NICs of an instance with what their reservations hold and whether the guest holds its address: a VM's by
     * dnsmasq's lease file (only while it runs: a stopped guest holds nothing), a running container's because Vessel
     * set it in the container's namespace. A network is shown by its name in the instance's network project.
     */
    public List<NicView> views(Instance i) {
        boolean running = i.state() instanceof InstanceState.Running || i.state() instanceof InstanceState.Paused;
        if (!(i.spec() instanceof VmSpec spec)) {
            var assigned = running
                    ? new NicView.Lease(
                            "assigned",
                            "vessel",
                            i.runtime() == null ? null : i.runtime().startedAt(),
                            null)
                    : NicView.Lease.RESERVED;
            return hub.leases(i).stream()
                    .map(l -> new NicView(
                            l.owner().nic(),
                            ProjectKey.nameOf(l.network()),
                            l.address().toString(),
                            l.mac().value(),
                            assigned))
                    .toList();
        }
        List<Lease> leases = hub.leases(i);
        var granted = new java.util.HashMap<String, java.util.Map<String, dev.vessel.net.DhcpLeases.Granted>>();
        var now = java.time.Instant.now();
        var out = new ArrayList<NicView>();
        for (NicSpec n : spec.nics()) {
            Optional<Lease> l =
                    leases.stream().filter(x -> x.owner().nic() == n.index()).findFirst();
            String ip = l.map(x -> x.address().toString()).orElse(n.ip());
            String mac = l.map(x -> x.mac().value()).orElse(n.mac());
            NicView.Lease state = ip == null ? NicView.Lease.NONE : NicView.Lease.RESERVED;
            if (running && ip != null && mac != null && hub.enabled()) {
                var onNet = granted.computeIfAbsent(
                        n.network(), net -> hub.manager().granted(net));
                // dnsmasq keeps a lease after the guest is gone, until it expires: only one granted in this run counts
                var bootedAt = i.runtime() == null
                        ? java.time.Instant.EPOCH
                        : i.runtime().startedAt().minusSeconds(1);
                state = dev.vessel.net.DhcpLeases.current(onNet, mac, ip, now)
                        .filter(g -> !g.grantedAt().isBefore(bootedAt))
                        .map(g -> new NicView.Lease(
                                "leased",
                                "dhcp",
                                g.grantedAt(),
                                g.expires().equals(java.time.Instant.MAX) ? null : g.expires()))
                        .orElse(state);
            }
            out.add(new NicView(n.index(), ProjectKey.nameOf(n.network()), ip, mac, state));
        }
        return out;
    }

    public NicView add(String name, NicRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        Instance i = vm(name);
        VmSpec spec = (VmSpec) i.spec();
        if (spec.nics().size() >= NicSpec.MAX_NICS) {
            throw VesselException.invalid("network", "vm '" + name + "' has " + NicSpec.MAX_NICS + " NICs already");
        }
        String network = scopes.networkKey(i.project(), Names.requireValid("network", r.network()));
        if (spec.nics().stream().anyMatch(n -> n.network().equals(network))) {
            throw VesselException.invalid("network", "vm '" + name + "' is on network '" + r.network() + "' already");
        }
        int index = spec.nics().stream().mapToInt(NicSpec::index).max().orElse(-1) + 1;
        if (index > NicSpec.MAX_INDEX) {
            index = firstFreeIndex(spec);
        }
        NicSpec nic = new NicSpec(
                index, network, r.ip() == null ? null : Ipv4.parse("ip", r.ip()).toString(), null);
        Optional<Long> live = live(i);
        if (live.isPresent() && !Files.exists(Path.of("/proc", live.get().toString(), "root/dev/net/tun"))) {
            throw VesselException.state("vm '" + name
                    + "' started without NICs, so its container has no /dev/net/tun; stop it, add the NIC, start it");
        }
        var manager = hub.manager();
        Lease lease = manager.reserve(nic.network(), VmNics.request(i, nic));
        NicSpec withMac = nic.withMac(lease.mac().value());
        var owner = new LeaseOwner(i.id(), index);
        try {
            if (live.isPresent()) {
                var ns = new NetnsRef.Pid(live.get());
                manager.attachVm(
                        nic.network(),
                        VmNics.request(i, withMac),
                        Optional.of(ns),
                        dev.vessel.qemu.ProcStatus.uid(live.get()));
                try {
                    boolean vhost = Files.exists(Path.of("/proc", live.get().toString(), "root/dev/vhost-net"));
                    NicDevices.plug(
                            qmp(i),
                            new GuestNic(index, dev.vessel.net.HostNames.innerTap(index), withMac.mac()),
                            vhost,
                            dev.vessel.qemu.GuestHardware.of(((VmSpec) i.spec()).platform())
                                    .nicDriver());
                } catch (RuntimeException e) {
                    manager.unplugNic(owner, Optional.of(ns));
                    throw e;
                }
            }
            ops.updateSpec(i.id(), s -> {
                var nics = new ArrayList<>(((VmSpec) s).nics());
                nics.add(withMac);
                return ((VmSpec) s).withNics(nics);
            });
        } catch (RuntimeException e) {
            try {
                manager.releaseNic(owner);
            } catch (RuntimeException u) {
                e.addSuppressed(u);
            }
            throw e;
        }
        return new NicView(
                index,
                ProjectKey.nameOf(nic.network()),
                lease.address().toString(),
                lease.mac().value());
    }

    public void remove(String name, int index) {
        Instance i = vm(name);
        VmSpec spec = (VmSpec) i.spec();
        if (spec.nics().stream().noneMatch(n -> n.index() == index)) {
            throw VesselException.notFound("nic", name + "/" + index);
        }
        var owner = new LeaseOwner(i.id(), index);
        Optional<Long> live = live(i);
        if (live.isPresent()) {
            // The guest lets go first; only then may the tap and its links go.
            NicDevices.unplug(qmp(i), index, RELEASE_WAIT);
            hub.manager().unplugNic(owner, Optional.of(new NetnsRef.Pid(live.get())));
        }
        ops.updateSpec(
                i.id(),
                s -> ((VmSpec) s)
                        .withNics(((VmSpec) s)
                                .nics().stream().filter(n -> n.index() != index).toList()));
        if (hub.enabled()) {
            hub.manager().releaseNic(owner);
        }
    }

    private static int firstFreeIndex(VmSpec spec) {
        for (int n = 0; n <= NicSpec.MAX_INDEX; n++) {
            int k = n;
            if (spec.nics().stream().noneMatch(x -> x.index() == k)) {
                return n;
            }
        }
        throw VesselException.state("no free NIC index");
    }

    private Instance vm(String name) {
        Instance i = ops.get(name);
        if (!(i.spec() instanceof VmSpec)) {
            throw VesselException.invalid(
                    "name", "'" + name + "' is a " + i.kind().label() + ", not a VM");
        }
        return i;
    }

    /** The QEMU pid of a VM whose NICs can be changed live; empty when stopped; refused in between. */
    private Optional<Long> live(Instance i) {
        return switch (i.state()) {
            case InstanceState.Created c -> Optional.empty();
            case InstanceState.Stopped s -> Optional.empty();
            case InstanceState.Running r -> Optional.of(i.runtime().pid());
            case InstanceState.Paused p -> Optional.of(i.runtime().pid());
            default ->
                throw VesselException.state(
                        "vm '" + i.name() + "' is " + i.state().label() + "; try again when it is running or stopped");
        };
    }

    private QmpClient qmp(Instance i) {
        return vms.qmp(i.id()).orElseThrow(() -> VesselException.state("vm '" + i.name() + "' has no QMP connection"));
    }
}
