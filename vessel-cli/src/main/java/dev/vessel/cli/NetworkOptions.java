package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** {@code --network NAME[,ip=IP]} and {@code -p} for creating instances, and their addresses in listings. */
final class NetworkOptions {
    private NetworkOptions() {}

    /**
     * Adds {@code networks} and {@code ports} to a create request. No {@code --network} leaves the default network to
     * the daemon; {@code --network none} asks for no NIC at all.
     */
    static void put(ObjectNode body, List<String> networks, List<String> ports) {
        if (!networks.isEmpty()) {
            var arr = body.putArray("networks");
            boolean none = networks.contains("none");
            if (none && networks.size() > 1) {
                throw new CliError(ExitCodes.USAGE, "--network none cannot be combined with other networks");
            }
            if (!none) {
                for (String n : networks) {
                    arr.add(nic(n));
                }
            }
        }
        if (!ports.isEmpty()) {
            var arr = body.putArray("ports");
            ports.forEach(arr::add);
        }
    }

    /** {@code NAME} or {@code NAME,ip=IP}. */
    static ObjectNode nic(String text) {
        String[] parts = text.split(",", -1);
        var o = Api.object().put("network", parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String kv = parts[i];
            if (kv.startsWith("ip=")) {
                o.put("ip", kv.substring(3));
            } else {
                throw new CliError(ExitCodes.USAGE, "--network " + text + ": unknown option '" + kv + "' (use NAME or NAME,ip=IP)");
            }
        }
        return o;
    }

    /** An instance's addresses for a listing, first NIC first; "-" for none. */
    /** For ps: the NICs' addresses, each marked "(reserved)" while the guest does not hold it (no DHCP lease). */
    static String addresses(JsonNode instance) {
        var out = new ArrayList<String>();
        instance.path("networks").forEach(n -> {
            if (n.path("ip").isTextual()) {
                out.add(n.path("ip").asText() + ("reserved".equals(n.path("lease").path("state").asText()) ? " (reserved)" : ""));
            }
        });
        return out.isEmpty() ? "-" : String.join(",", out);
    }

    /** For inspect: "leased since 10:08:03 (until 11:08:03)", "reserved: the guest has not asked for it by DHCP", ... */
    static String leaseState(JsonNode nic) {
        JsonNode l = nic.path("lease");
        return switch (l.path("state").asText("")) {
            case "leased" -> "leased by DHCP since " + Output.time(l.path("since").asText(null))
                    + (l.hasNonNull("expires") ? " (renewal due before " + Output.time(l.path("expires").asText(null)) + ")" : "");
            case "reserved" -> "reserved, not leased: the guest has not asked for it by DHCP (not running, still booting, link down,"
                    + " or no DHCP client)";
            case "assigned" -> "assigned by Vessel in the container's namespace";
            case "none" -> "no address";
            default -> "";
        };
    }
}
