package dev.vessel.daemon;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The names and addresses the node's server certificate carries: its host name, localhost, and its addresses. */
final class NodeNames {
    private NodeNames() {}

    static List<String> dnsNames() {
        var names = new LinkedHashSet<String>();
        try {
            String h = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"))
                    .strip();
            if (!h.isEmpty()) {
                names.add(h);
            }
        } catch (java.io.IOException e) {
            // no host name: localhost and the addresses still serve
        }
        names.add("localhost");
        return new ArrayList<>(names);
    }

    /** Every address of the interfaces in the daemon's network namespace, and the listener's own if it names one. */
    static List<InetAddress> addresses(InetSocketAddress listen) {
        var out = new LinkedHashSet<InetAddress>();
        if (!listen.getAddress().isAnyLocalAddress()) {
            out.add(listen.getAddress());
        }
        try {
            var ifs = NetworkInterface.getNetworkInterfaces();
            while (ifs.hasMoreElements()) {
                var nif = ifs.nextElement();
                var as = nif.getInetAddresses();
                while (as.hasMoreElements()) {
                    InetAddress a = as.nextElement();
                    if (!a.isLinkLocalAddress()) {
                        out.add(stripScope(a));
                    }
                }
            }
        } catch (SocketException e) {
            // loopback is enough to start with
        }
        out.add(InetAddress.getLoopbackAddress());
        return new ArrayList<>(out);
    }

    private static InetAddress stripScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            return a;
        }
    }
}
