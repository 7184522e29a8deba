package dev.vessel.container;

import dev.vessel.core.driver.ContainerNetworking;
import dev.vessel.host.AtomicFiles;
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

    /** Before the container is made: loopback names only; the host's resolv.conf with the host's network. */
    static void write(Path dir, String hostname, boolean hostNetwork) {
        AtomicFiles.write(dir.resolve("hostname"), hostname + "\n");
        AtomicFiles.write(dir.resolve("hosts"), hosts(hostname, null));
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
        AtomicFiles.write(dir.resolve("resolv.conf"), resolv);
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
                hosts.append(slash < 0 ? cidr : cidr.substring(0, slash)).append('\t').append(hostname).append('\n');
            }
        }
        return hosts.toString();
    }
}
