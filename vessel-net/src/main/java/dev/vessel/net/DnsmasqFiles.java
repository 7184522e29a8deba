package dev.vessel.net;

import java.nio.file.Path;

/**
 * Where one network's dnsmasq keeps its files: all under the network's own state directory, so deleting the network
 * deletes them, and the path of the config file identifies the process in /proc.
 */
public record DnsmasqFiles(Path dir) {
    public static final String BINARY = "/usr/sbin/dnsmasq";

    public static DnsmasqFiles of(Path stateRoot, String network) {
        return new DnsmasqFiles(stateRoot.resolve("networks").resolve(network).toAbsolutePath());
    }

    public Path config() {
        return dir.resolve("dnsmasq.conf");
    }

    /** dhcp-hostsfile: MAC, address and name per instance; re-read on SIGHUP. */
    public Path dhcpHosts() {
        return dir.resolve("dhcp-hosts");
    }

    /** addn-hosts: address and names per instance; re-read on SIGHUP. */
    public Path hosts() {
        return dir.resolve("hosts");
    }

    public Path pid() {
        return dir.resolve("dnsmasq.pid");
    }

    public Path leases() {
        return dir.resolve("dnsmasq.leases");
    }

    public Path log() {
        return dir.resolve("dnsmasq.log");
    }

    /** The argv that starts it, and that /proc/PID/cmdline shows while it runs. */
    public java.util.List<String> argv() {
        return java.util.List.of(BINARY, "--conf-file=" + config());
    }
}
