package dev.vessel.container;

import dev.vessel.core.driver.ContainerNetworking;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The /etc/hostname, /etc/hosts and /etc/resolv.conf a container sees: written by Vessel into the container's state
 * dir and bound over the image's, so that images never need to be changed and the network decides name service.
 */
final class EtcFiles {
    private EtcFiles() {}

    /**
     * Before the container is made: loopback names only; the host's resolv.conf with the host's network. Written plainly,
     * not synced: they are made again at every start, so a crash cannot leave one that matters.
     */
    static void write(Path dir, String hostname, boolean hostNetwork) {
        plain(dir.resolve("hostname"), hostname + "\n");
        plain(dir.resolve("hosts"), hosts(hostname, null));
        String resolv;
        if (hostNetwork) {
            try {
                resolv = Files.readString(Path.of("/etc/resolv.conf"));
            } catch (IOException e) {
                resolv = "# the host has no /etc/resolv.conf\n";
            }
        } else {
            resolv = "# no name servers: the container's network has none\n";
        }
        plain(dir.resolve("resolv.conf"), resolv);
    }

    static void plain(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * After the network attached the container (between runc create and start): its addresses and name server. Written
     * in place, not renamed, because the files are already bound into the container by inode.
     */
    static void attached(Path dir, String hostname, ContainerNetworking.Attachment a) {
        try {
            if (!a.addresses().isEmpty()) {
                Files.writeString(dir.resolve("hosts"), hosts(hostname, a));
            }
            if (a.resolvConf() != null) {
                Files.writeString(dir.resolve("resolv.conf"), a.resolvConf());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the network's /etc files for " + hostname, e);
        }
    }

    private static String hosts(String hostname, ContainerNetworking.Attachment a) {
        var hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (a == null || a.addresses().isEmpty()) {
            hosts.append("127.0.1.1\t").append(hostname).append('\n');
        } else {
            for (String cidr : a.addresses()) {
                int slash = cidr.indexOf('/');
                hosts.append(slash < 0 ? cidr : cidr.substring(0, slash))
                        .append('\t')
                        .append(hostname)
                        .append('\n');
            }
        }
        return hosts.toString();
    }
}
