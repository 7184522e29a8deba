package dev.vessel.cli;

import dev.vessel.model.InstanceView;
import dev.vessel.model.NicRequest;
import dev.vessel.model.NicView;
import java.util.ArrayList;
import java.util.List;

/** {@code --network NAME[,ip=IP]} and {@code -p} for creating instances, and their addresses in listings. */
final class NetworkOptions {
    private NetworkOptions() {}

    /**
     * Adds {@code networks} and {@code ports} to a create request. No {@code --network} leaves the default network to
     * the daemon; {@code --network none} asks for no NIC at all.
     */
    static List<NicRequest> nics(List<String> networks) {
        if (networks.isEmpty()) {
            return null;
        }
        boolean none = networks.contains("none");
        if (none && networks.size() > 1) {
            throw new CliError(ExitCodes.USAGE, "--network none cannot be combined with other networks");
        }
        return none ? List.of() : networks.stream().map(NetworkOptions::nic).toList();
    }

    /** The published ports, or null for none (the daemon's default). */
    static List<String> ports(List<String> ports) {
        return ports.isEmpty() ? null : List.copyOf(ports);
    }

    /** {@code NAME} or {@code NAME,ip=IP}. */
    static NicRequest nic(String text) {
        String[] parts = text.split(",", -1);
        String ip = null;
        for (int i = 1; i < parts.length; i++) {
            String kv = parts[i];
            if (kv.startsWith("ip=")) {
                ip = kv.substring(3);
            } else {
                throw new CliError(
                        ExitCodes.USAGE,
                        "--network " + text + ": unknown option '" + kv + "' (use NAME or NAME,ip=IP)");
            }
        }
        return new NicRequest(parts[0], ip);
    }

    /** An instance's addresses for a listing, first NIC first; "-" for none. */
    /** For ps: the NICs' addresses, each marked "(reserved)" while the guest does not hold it (no DHCP lease). */
    static String addresses(InstanceView instance) {
        var out = new ArrayList<String>();
        for (NicView n : instance.networks() == null ? List.<NicView>of() : instance.networks()) {
            if (n.ip() != null) {
                out.add(n.ip()
                        + (n.lease() != null && "reserved".equals(n.lease().state()) ? " (reserved)" : ""));
            }
        }
        return out.isEmpty() ? "-" : String.join(",", out);
    }

    /** For inspect: "leased by DHCP since 10:08:03 (...)", "reserved, not leased: ...", ... */
    static String leaseState(NicView nic) {
        NicView.Lease l = nic.lease();
        if (l == null) {
            return "";
        }
        return switch (l.state()) {
            case "leased" ->
                "leased by DHCP since "
                        + Output.time(l.since() == null ? null : l.since().toString())
                        + (l.expires() != null
                                ? " (renewal due before "
                                        + Output.time(l.expires().toString()) + ")"
                                : "");
            case "reserved" ->
                "reserved, not leased: the guest has not asked for it by DHCP (not running, still booting, link down,"
                        + " or no DHCP client)";
            case "assigned" -> "assigned by Vessel in the container's namespace";
            case "none" -> "no address";
            default -> "";
        };
    }
}
