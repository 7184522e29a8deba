package dev.vessel.net;

import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes what a crash left behind: links with Vessel's prefix that no network or lease accounts for, dnsmasq
 * processes started from a network directory of ours whose network is gone, and those directories. It only ever
 * touches objects that carry Vessel's marks (the {@value HostNames#PREFIX} prefix; our dnsmasq binary with a config
 * under our state root, running in the namespace we manage), so it is safe next to other programs' bridges and
 * daemons. Stale nft rules need no hunting: {@link NetworkManager} re-renders the whole table after reaping.
 */
public final class NetReaper {
    /** What was removed. */
    public record Report(List<String> links, List<Long> dnsmasqPids, List<String> stateDirs, List<Lease> leases) {
        public boolean empty() {
            return links.isEmpty() && dnsmasqPids.isEmpty() && stateDirs.isEmpty() && leases.isEmpty();
        }
    }

    private final HostNet host;
    private final ProcFs proc;
    private final Path networksDir;
    private final BridgeNetwork bridges;

    public NetReaper(HostNet host, Path stateRoot) {
        this(host, ProcFs.system(), stateRoot);
    }

    NetReaper(HostNet host, ProcFs proc, Path stateRoot) {
        this.host = host;
        this.proc = proc;
        this.networksDir = stateRoot.resolve("networks").toAbsolutePath();
        this.bridges = new BridgeNetwork(host);
    }

    /**
     * @param networks the networks the store knows
     * @param leases the leases of live instances (reconcile the IPAM first)
     */
    public Report reap(List<NetworkSpec> networks, List<Lease> leases) {
        Set<String> known = new HashSet<>();
        networks.forEach(n -> known.add(n.name()));
        return new Report(reapLinks(networks, leases), reapDnsmasq(known), reapDirs(known), List.of());
    }

    /** The names of Vessel links that nothing accounts for. */
    static List<String> strayLinks(List<HostLink> links, List<NetworkSpec> networks, List<Lease> leases) {
        Set<String> expected = new HashSet<>();
        networks.forEach(n -> expected.add(n.bridge()));
        for (Lease l : leases) {
            expected.add(HostNames.hostVeth(l.owner()));
            expected.add(HostNames.tap(l.owner()));
        }
        return links.stream()
                .map(HostLink::name)
                .filter(HostNames::isVessel)
                .filter(n -> !expected.contains(n))
                .sorted()
                .toList();
    }

    private List<String> reapLinks(List<NetworkSpec> networks, List<Lease> leases) {
        List<HostLink> links = bridges.links();
        List<String> stray = strayLinks(links, networks, leases);
        // Ports first: deleting a bridge would only detach them, and a veth deleted after its peer is already gone.
        var ordered = Stream.concat(
                        stray.stream().filter(n -> !n.startsWith(HostNames.BRIDGE_PREFIX)),
                        stray.stream().filter(n -> n.startsWith(HostNames.BRIDGE_PREFIX)))
                .toList();
        ordered.forEach(bridges::deleteLink);
        return ordered;
    }

    private List<Long> reapDnsmasq(Set<String> known) {
        String ourNetns = host.netnsId();
        String marker = "--conf-file=" + networksDir + "/";
        var killed = new ArrayList<Long>();
        for (long pid : proc.pids()) {
            var argv = proc.cmdline(pid).orElse(List.of());
            if (argv.size() != 2
                    || !argv.get(0).equals(DnsmasqFiles.BINARY)
                    || !argv.get(1).startsWith(marker)) {
                continue;
            }
            String rest = argv.get(1).substring(marker.length());
            String network = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            if (known.contains(network)
                    || !proc.netns(pid).map(ourNetns::equals).orElse(false)) {
                continue;
            }
            var files = new DnsmasqFiles(networksDir.resolve(network));
            if (!argv.equals(files.argv())) {
                continue;
            }
            DnsmasqProcess.terminate(host, proc, pid);
            killed.add(pid);
        }
        return killed;
    }

    private List<String> reapDirs(Set<String> known) {
        if (!Files.isDirectory(networksDir)) {
            return List.of();
        }
        try (var s = Files.list(networksDir)) {
            var stray = s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !known.contains(n))
                    .sorted()
                    .toList();
            stray.forEach(n -> AtomicFiles.deleteTree(networksDir.resolve(n)));
            return stray;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + networksDir, e);
        }
    }
}
