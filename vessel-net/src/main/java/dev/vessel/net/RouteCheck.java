package dev.vessel.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import java.util.Map;

/**
 * Refuses a subnet that overlaps a route the host already has (its LAN, a VPN, another bridge): the bridge's route
 * would capture that traffic and could cut the host off. Routes through Vessel's own bridges are the networks' own
 * and are checked by {@link NetworkSpec#requireNoOverlap}.
 */
final class RouteCheck {
    private RouteCheck() {}

    /** {@code json} is the output of {@code ip -j -4 route show table main}. */
    static void requireNoOverlap(Cidr subnet, String json) {
        for (JsonNode r : Json.tree(json.isBlank() ? "[]" : json)) {
            String dst = r.path("dst").asText("");
            String dev = r.path("dev").asText("");
            if (dst.isEmpty() || dst.equals("default") || HostNames.isVessel(dev)) {
                continue;
            }
            Cidr route = dst.contains("/") ? Cidr.parse("route", dst) : new Cidr(Ipv4.parse("route", dst), 32);
            if (route.overlaps(subnet)) {
                throw new VesselException(
                        ProblemType.IN_USE,
                        "subnet " + subnet + " overlaps the host's route to " + route
                                + (dev.isEmpty() ? "" : " via " + dev),
                        Map.of("route", route.toString()),
                        null);
            }
        }
    }
}
