package dev.vessel.qemu;

import dev.vessel.core.model.Instance;
import java.util.List;

/**
 * What the VM driver asks of managed networks around a start. QEMU runs in its own container, whose network namespace
 * exists only between {@code runc create} and QEMU's exit, so the driver calls {@link #plug} in that window, before
 * {@code runc start} lets QEMU open its taps.
 */
public interface VmNetworking {
    /** Reserves the VM's addresses (if not yet) and says which taps QEMU will open, with which MACs. */
    List<GuestNic> prepare(Instance vm);

    /** Creates the taps inside the namespace of {@code pid} (the container's init) and joins them to the networks. */
    void plug(Instance vm, List<GuestNic> nics, long pid);

    /** QEMU is gone, or never ran: removes the host side of its NICs. Its addresses stay reserved for the next start. */
    void unplug(String instanceId);

    /** {@link #unplug} after QEMU went: a failure is logged, not thrown, so it never hides why (the reaper gets the rest). */
    default void unplugQuietly(String instanceId, System.Logger log) {
        try {
            unplug(instanceId);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "cannot unplug the NICs of " + instanceId + ": " + e.getMessage());
        }
    }

    /** No managed networks: VMs get no NIC. */
    VmNetworking NONE = new VmNetworking() {
        @Override
        public List<GuestNic> prepare(Instance vm) {
            return List.of();
        }

        @Override
        public void plug(Instance vm, List<GuestNic> nics, long pid) {}

        @Override
        public void unplug(String instanceId) {}
    };
}
