package dev.vessel.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Linux-bridge driver: one bridge per network carrying the gateway address, veth pairs into container
 * namespaces and taps for VMs. Every step is an {@code ip} command through {@link HostNet}; a step that fails undoes
 * the steps before it, so a failed attach leaves no half-plugged link behind.
 */
public final class BridgeNetwork {
    private final HostNet host;

    public BridgeNetwork(HostNet host) {
        this.host = host;
    }

    public boolean exists(String link) {
        return host.attempt("ip", "link", "show", "dev", link).ok();
    }

    /**
     * Creates the network's bridge with the gateway address and brings it up. Its MAC is fixed (derived from the
     * name): a bridge otherwise takes the lowest MAC of its ports, and changes it as instances come and go, which
     * breaks the ARP caches of every other instance. route_localnet lets connections to the host's 127.0.0.1 be
     * DNATed onto the bridge (see {@link NftRuleset}).
     */
    public void create(NetworkSpec net) {
        String br = net.bridge();
        MacAddress mac = MacAddresses.generate(new LeaseOwner("network:" + net.name(), 0), java.util.Set.of());
        host.ip("link", "add", "name", br, "address", mac.value(), "type", "bridge");
        try {
            host.ip("link", "set", "dev", br, "alias", "vessel network " + net.name());
            host.ip(
                    "addr",
                    "add",
                    net.gateway() + "/" + net.subnet().prefix(),
                    "broadcast",
                    net.subnet().broadcast().toString(),
                    "dev",
                    br);
            host.sysctl("net.ipv4.conf." + br + ".route_localnet", "1");
            host.ip("link", "set", "dev", br, "up");
        } catch (RuntimeException e) {
            undo(e, () -> deleteLink(br));
            throw e;
        }
    }

    /** After a daemon restart: creates the bridge if it is gone (a host reboot), else leaves it be. */
    public void ensure(NetworkSpec net) {
        if (!exists(net.bridge())) {
            create(net);
        }
    }

    public void delete(NetworkSpec net) {
        deleteLink(net.bridge());
    }

    /** Deletes a link (for a veth, both ends); a link that is already gone is fine. */
    public void deleteLink(String name) {
        var r = host.attempt("ip", "link", "del", "dev", name);
        if (!r.ok() && exists(name)) {
            r.orThrow();
        }
    }

    /**
     * Plugs a container into the network: a veth pair whose host end ({@link HostNames#hostVeth}) joins the bridge
     * and whose other end is created directly inside the container's namespace, carrying the lease's MAC so DHCP
     * would give it the same address we configure.
     */
    public String attachVeth(NetworkSpec net, Lease lease, NetnsRef ns, ContainerNic nic) {
        String hv = HostNames.hostVeth(lease.owner());
        // Two processes in all (one ip batch here, one inside): set-up time per container is mostly fork and exec.
        addLinks(
                hv,
                List.of(
                        List.of(
                                "link",
                                "add",
                                "name",
                                hv,
                                "type",
                                "veth",
                                "peer",
                                "name",
                                nic.ifname(),
                                "address",
                                lease.mac().value(),
                                "netns",
                                ns.ipArgument()),
                        List.of("link", "set", "dev", hv, "master", net.bridge(), "up")));
        try {
            var inside = new ArrayList<List<String>>();
            if (nic.configure()) {
                inside.add(List.of(
                        "addr",
                        "add",
                        lease.address() + "/" + net.subnet().prefix(),
                        "broadcast",
                        net.subnet().broadcast().toString(),
                        "dev",
                        nic.ifname()));
            }
            inside.add(List.of("link", "set", "dev", nic.ifname(), "up"));
            if (nic.configure() && nic.defaultRoute() && !net.isolated()) {
                inside.add(
                        List.of("route", "add", "default", "via", net.gateway().toString(), "dev", nic.ifname()));
            }
            host.ipBatchInside(ns, inside);
        } catch (RuntimeException e) {
            undo(e, () -> deleteLink(hv));
            throw e;
        }
        return hv;
    }

    /**
     * Runs a batch whose first command creates {@code link}. A link of that name is a leftover from an earlier run
     * whose other end died with its namespace: it is deleted and the batch tried once more. Looking first would cost
     * a process on every attach for a case that is rare; a failed batch is undone (the link deleted) before it throws.
     */
    private void addLinks(String link, List<List<String>> batch) {
        try {
            host.ipBatch(batch);
        } catch (RuntimeException first) {
            boolean leftover = first.getMessage() != null && first.getMessage().contains("File exists");
            undo(first, () -> deleteLink(link));
            if (!leftover) {
                throw first;
            }
            try {
                host.ipBatch(batch);
            } catch (RuntimeException again) {
                undo(again, () -> deleteLink(link));
                throw again;
            }
        }
    }

    /**
     * A tap for a VM whose QEMU runs in this namespace, joined to the bridge. {@code uid} (nullable) owns the tap, so
     * that a QEMU without CAP_NET_ADMIN may still open it.
     */
    public VmNic attachTap(NetworkSpec net, Lease lease, Integer uid) {
        String tap = HostNames.tap(lease.owner());
        deleteLink(tap);
        host.run(tapCommand(tap, uid));
        try {
            host.ip("link", "set", "dev", tap, "master", net.bridge(), "up");
        } catch (RuntimeException e) {
            undo(e, () -> deleteLink(tap));
            throw e;
        }
        return new VmNic(lease, tap, Optional.empty(), tap);
    }

    /**
     * A tap for a VM whose QEMU runs in its own namespace (the runc container of the VM). A tap cannot be a port of a
     * bridge in another namespace, so a veth pair crosses over, and inside a small bridge joins the veth end and the
     * tap ("bridge binding", as KubeVirt does it). The guest's MAC is the lease's; the inner links need none of ours.
     */
    public VmNic attachTapInside(NetworkSpec net, Lease lease, NetnsRef ns, Integer uid) {
        int n = lease.owner().nic();
        String hv = HostNames.hostVeth(lease.owner());
        String inVeth = HostNames.INNER_VETH + n;
        String inBridge = HostNames.INNER_BRIDGE + n;
        String inTap = HostNames.INNER_TAP + n;
        addLinks(
                hv,
                List.of(
                        List.of(
                                "link",
                                "add",
                                "name",
                                hv,
                                "type",
                                "veth",
                                "peer",
                                "name",
                                inVeth,
                                "netns",
                                ns.ipArgument()),
                        List.of("link", "set", "dev", hv, "master", net.bridge(), "up")));
        try {
            var tap = new ArrayList<>(List.of(tapCommand(inTap, uid)));
            tap.removeFirst(); // "ip": the batch runs ip already
            host.ipBatchInside(
                    ns,
                    List.of(
                            List.of("link", "add", "name", inBridge, "type", "bridge"),
                            tap,
                            List.of("link", "set", "dev", inVeth, "master", inBridge, "up"),
                            List.of("link", "set", "dev", inTap, "master", inBridge, "up"),
                            List.of("link", "set", "dev", inBridge, "up")));
        } catch (RuntimeException e) {
            undo(e, () -> deleteLink(hv));
            throw e;
        }
        return new VmNic(lease, inTap, Optional.of(ns), hv);
    }

    /**
     * Removes the links {@link #attachTapInside} made inside a namespace that lives on (a NIC taken out of a running
     * VM): deleting the host end of the veth already took its peer, the small bridge and the tap remain.
     */
    public void detachInside(NetnsRef ns, int nic) {
        for (String link :
                List.of(HostNames.INNER_TAP + nic, HostNames.INNER_BRIDGE + nic, HostNames.INNER_VETH + nic)) {
            try {
                host.inside(ns, "ip", "link", "del", "dev", link);
            } catch (RuntimeException e) {
                // already gone, or the namespace itself went (the VM stopped): either way nothing is left
            }
        }
    }

    /**
     * Removes whatever host links the NIC has (veth or tap; one process for both); the namespace side goes with its
     * namespace. A link that is not there is fine.
     */
    public void detach(LeaseOwner owner) {
        var r = host.ipBatchAll(List.of(
                List.of("link", "del", "dev", HostNames.hostVeth(owner)),
                List.of("link", "del", "dev", HostNames.tap(owner))));
        if (!r.ok()) {
            for (String line : r.stderr().split("\n")) {
                // ip says "Cannot find device" for a link that is gone, then "Command failed -:N" for that line.
                if (!line.isBlank() && !line.contains("Cannot find device") && !line.startsWith("Command failed")) {
                    r.orThrow();
                }
            }
        }
    }

    /** Every link in this namespace, as {@code ip -j -d link show} lists them. */
    public List<HostLink> links() {
        JsonNode arr = Json.tree(host.ip("-j", "-d", "link", "show").stdout());
        var out = new ArrayList<HostLink>();
        for (JsonNode l : arr) {
            JsonNode kind = l.path("linkinfo").path("info_kind");
            JsonNode master = l.path("master");
            out.add(new HostLink(
                    l.path("ifname").asText(),
                    kind.isMissingNode() ? "" : kind.asText(),
                    master.isMissingNode() ? null : master.asText()));
        }
        return out;
    }

    private static String[] tapCommand(String tap, Integer uid) {
        return uid == null
                ? new String[] {"ip", "tuntap", "add", "dev", tap, "mode", "tap"}
                : new String[] {"ip", "tuntap", "add", "dev", tap, "mode", "tap", "user", uid.toString()};
    }

    /** Runs a clean-up step after a failure; if it fails too, that is recorded on the original failure. */
    static void undo(RuntimeException failure, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
