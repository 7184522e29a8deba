package dev.vessel.qemu;

import dev.vessel.core.model.AccelMode;

/** Chooses KVM or TCG for a VM; the real one probes the host (see {@code AccelProbe}). */
@FunctionalInterface
public interface AccelPolicy {
    Choice choose(AccelMode requested);

    /** The accelerator to use and why. */
    record Choice(boolean kvm, String reason) {
        public String label() {
            return kvm ? "kvm" : "tcg";
        }
    }
}
