package dev.vessel.engine.net;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceSpec;
import dev.vessel.core.model.NicSpec;
import dev.vessel.core.model.VmSpec;
import dev.vessel.net.AllocationRequest;
import dev.vessel.net.HostNames;
import dev.vessel.net.Ipv4;
import dev.vessel.net.Lease;
import dev.vessel.net.LeaseOwner;
import dev.vessel.net.MacAddress;
import dev.vessel.net.NetnsRef;
import dev.vessel.qemu.GuestNic;
import dev.vessel.qemu.VmNetworking;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The VM driver's view of managed networks. Each NIC is a veth from the network's bridge into the VM's own runc
 * namespace, a small bridge there and a tap on it ({@code BridgeNetwork.attachTapInside}): QEMU opens only that tap
 * and has no other way out of its namespace (no address, no route, IPv6 off, no capabilities).
 */
public final class VmNics implements VmNetworking {
    private final NetworkHub hub;
    private volatile BiFunction<String, UnaryOperator<InstanceSpec>, Instance> specUpdates;

    public VmNics(NetworkHub hub) {
        this.hub = hub;
    }

    /** How a MAC the network gave a NIC goes back into the stored spec (under the instance's lock). */
    public void specUpdates(BiFunction<String, UnaryOperator<InstanceSpec>, Instance> updates) {
        this.specUpdates = updates;
    }

    static AllocationRequest request(Instance vm, NicSpec nic) {
        return new AllocationRequest(
                new LeaseOwner(vm.id(), nic.index()),
                vm.name(),
                nic.ip() == null ? null : Ipv4.parse("ip", nic.ip()),
                nic.mac() == null ? null : MacAddress.parse("mac", nic.mac()));
    }

    @Override
    public List<GuestNic> prepare(Instance vm) {
        List<NicSpec> nics = ((VmSpec) vm.spec()).nics();
        if (nics.isEmpty()) {
            return List.of();
        }
        var manager = hub.manager();
        var out = new ArrayList<GuestNic>();
        var resolved = new ArrayList<NicSpec>();
        for (NicSpec nic : nics) {
            // Idempotent: the lease made at create comes back; a clone's NICs get theirs (and a new MAC) now.
            Lease lease = manager.reserve(nic.network(), request(vm, nic));
            resolved.add(nic.withMac(lease.mac().value()));
            out.add(new GuestNic(
                    nic.index(), HostNames.innerTap(nic.index()), lease.mac().value()));
        }
        if (!resolved.equals(nics) && specUpdates != null) {
            specUpdates.apply(vm.id(), s -> ((VmSpec) s).withNics(resolved));
        }
        return out;
    }

    @Override
    public void plug(Instance vm, List<GuestNic> nics, long pid) {
        var manager = hub.manager();
        var ns = new NetnsRef.Pid(pid);
        try {
            isolate(ns);
            for (NicSpec nic : ((VmSpec) vm.spec()).nics()) {
                // the tap is QEMU's: it runs as the VM's uid, without the capability to open a tap it does not own
                manager.attachVm(
                        nic.network(),
                        request(vm, nic.withMac(mac(nics, nic.index()))),
                        Optional.of(ns),
                        dev.vessel.qemu.ProcStatus.uid(pid));
            }
        } catch (RuntimeException e) {
            try {
                manager.unplug(vm.id());
            } catch (RuntimeException u) {
                e.addSuppressed(u);
            }
            throw e;
        }
    }

    /**
     * The VM's namespace gets no IPv6: a link-local address on the small bridge would let QEMU itself talk on the
     * network. (IPv4 needs nothing: the namespace has no address and no route.)
     */
    void isolate(NetnsRef ns) {
        hub.host()
                .inside(
                        ns,
                        "sysctl",
                        "-q",
                        "-w",
                        "net.ipv6.conf.all.disable_ipv6=1",
                        "net.ipv6.conf.default.disable_ipv6=1");
    }

    private static String mac(List<GuestNic> nics, int index) {
        return nics.stream()
                .filter(n -> n.index() == index)
                .findFirst()
                .map(GuestNic::mac)
                .orElseThrow(() -> new VesselException(ProblemType.INTERNAL, "NIC " + index + " was not prepared"));
    }

    @Override
    public void unplug(String instanceId) {
        if (hub.enabled()) {
            hub.manager().unplug(instanceId);
        }
    }
}
