package dev.vessel.engine.net;

import dev.vessel.core.model.NicSpec;
import dev.vessel.model.NicRequest;
import dev.vessel.net.PortForward;
import java.util.List;

/**
 * The network seam of making a VM (create, clone, restore): reserve its NICs' addresses and MACs before it is stored,
 * publish its ports once it is, and give everything back when the making fails or the VM goes. {@link NewVmNetworks}
 * does it on the managed networks; {@link #NONE} is a daemon without them.
 */
public interface VmNetworking {
    /** Checks the port mappings' syntax, before anything is made. */
    List<PortForward> parsePorts(String name, List<String> specs);

    /** Reserves an address and a MAC for each NIC; returns the NICs with their MACs. On failure nothing is held. */
    List<NicSpec> reserve(String id, String name, List<NicRequest> requested);

    /** For a clone or a restore: the same networks as {@code nics}, with new addresses and MACs. */
    List<NicSpec> reserveLike(String id, String name, List<NicSpec> nics);

    /** Publishes the ports; the instance holds its addresses already. */
    void publish(List<PortForward> forwards);

    /** Gives back everything {@link #reserve} and {@link #publish} took for the instance. */
    void release(String id, RuntimeException cause);

    /** No managed networks: no NICs, and ports cannot be published. */
    VmNetworking NONE = new VmNetworking() {
        @Override
        public List<PortForward> parsePorts(String name, List<String> specs) {
            if (specs != null && !specs.isEmpty()) {
                throw dev.vessel.core.error.VesselException.invalid(
                        "ports", "this daemon has no managed networks to publish ports on");
            }
            return List.of();
        }

        @Override
        public List<NicSpec> reserve(String id, String name, List<NicRequest> requested) {
            if (requested != null && !requested.isEmpty()) {
                throw dev.vessel.core.error.VesselException.invalid("networks", "this daemon has no managed networks");
            }
            return List.of();
        }

        @Override
        public List<NicSpec> reserveLike(String id, String name, List<NicSpec> nics) {
            return reserve(
                    id,
                    name,
                    nics.isEmpty()
                            ? null
                            : List.of(new NicRequest(nics.getFirst().network(), null)));
        }

        @Override
        public void publish(List<PortForward> forwards) {}

        @Override
        public void release(String id, RuntimeException cause) {}
    };
}
