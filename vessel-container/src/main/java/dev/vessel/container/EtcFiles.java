package dev.vessel.container;

import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The /etc/hostname, /etc/hosts and /etc/resolv.conf a container sees: written by Vessel into the container's state
 * dir and bound over the image's, so that images never need to be changed and the network decides name service.
 */
final class EtcFiles {
    private EtcFiles() {}

    static void write(Path dir, String hostname, ContainerNetworking.Plan plan, boolean hostNetwork) {
        AtomicFiles.write(dir.resolve("hostname"), hostname + "\n");
        var hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        List<String> own = plan == null ? List.of() : plan.addresses();
        if (own.isEmpty()) {
            hosts.append("127.0.1.1\t").append(hostname).append('\n');
        }
        for (String a : own) {
            hosts.append(a).append('\t').append(hostname).append('\n');
        }
        AtomicFiles.write(dir.resolve("hosts"), hosts.toString());
        AtomicFiles.write(dir.resolve("resolv.conf"), resolvConf(plan, hostNetwork));
    }

    private static String resolvConf(ContainerNetworking.Plan plan, boolean hostNetwork) {
        if (hostNetwork) {
            try {
                return Files.readString(Path.of("/etc/resolv.conf"));
            } catch (IOException e) {
                return "# the host has no /etc/resolv.conf\n";
            }
        }
        if (plan == null || plan.nameservers().isEmpty()) {
            return "# no name servers: the container's network has none\n";
        }
        var sb = new StringBuilder();
        if (!plan.searchDomains().isEmpty()) {
            sb.append("search ").append(String.join(" ", plan.searchDomains())).append('\n');
        }
        plan.nameservers().forEach(n -> sb.append("nameserver ").append(n).append('\n'));
        return sb.toString();
    }
}
