package dev.vessel.net;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.util.List;
import java.util.Map;

/** Refuses a port forward that would take packets another forward or a host program already receives. */
public final class PortConflicts {
    private PortConflicts() {}

    /**
     * A listener with a scoped wildcard ({@code 0.0.0.0%vsl-b...:67}, dnsmasq's DHCP socket) still counts: a DNAT on
     * that port would catch its traffic too. A forward without a host address conflicts with a listener on any
     * address, since its DNAT matches every local address.
     */
    public static void check(PortForward candidate, List<PortForward> existing, List<Listener> listeners) {
        for (PortForward f : existing) {
            if (f.clashes(candidate)) {
                throw new VesselException(
                        ProblemType.IN_USE,
                        "port " + candidate.hostSide() + " is already forwarded to '" + f.targetInstance() + "'",
                        Map.of("holder", f.targetInstance()),
                        null);
            }
        }
        for (Listener l : listeners) {
            if (l.blocks(candidate)) {
                throw new VesselException(
                        ProblemType.IN_USE,
                        "port " + candidate.hostSide() + " is in use by " + l.holder(),
                        l.process() == null ? Map.of() : Map.of("holder", l.process(), "pid", l.pid()),
                        null);
            }
        }
    }
}
