package dev.vessel.engine.config;

import dev.vessel.net.PortForward;
import dev.vessel.net.Protocol;
import java.util.ArrayList;
import java.util.List;

/** A port of the {@code reserved-ports} setting: no forward may take it (see {@code ManagementPorts}). */
public record ReservedPort(Protocol protocol, int port) {
    /** Comma-separated {@code PORT/PROTO} (protocol defaults to tcp), or {@code none}. */
    public static List<ReservedPort> parse(String setting) {
        if (setting.isBlank() || setting.strip().equals("none")) {
            return List.of();
        }
        var out = new ArrayList<ReservedPort>();
        for (String item : setting.split(",")) {
            String t = item.strip();
            String proto = "tcp";
            int slash = t.indexOf('/');
            if (slash >= 0) {
                proto = t.substring(slash + 1);
                t = t.substring(0, slash);
            }
            // The forward parser knows ports and protocols; borrow it rather than repeat its checks.
            PortForward p = PortForward.parse(t + ":" + t + "/" + proto, "reserved");
            out.add(new ReservedPort(p.protocol(), p.hostPort()));
        }
        return List.copyOf(out);
    }
}
