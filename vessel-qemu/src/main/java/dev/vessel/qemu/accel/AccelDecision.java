package dev.vessel.qemu.accel;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * How VMs on this host run their vCPUs, and why.
 *
 * @param accel "kvm" or "tcg", as QEMU's {@code -accel} takes it
 * @param reason a sentence for people: what was requested, probed or missing
 * @param probedAt when this was decided (for a cached probe: when the probe ran)
 * @param hostKey the QEMU binary and host kernel the decision holds for; see {@link AccelProbe#hostKey}
 */
public record AccelDecision(String accel, String reason, Instant probedAt, String hostKey) {
    public static final String KVM = "kvm";
    public static final String TCG = "tcg";

    public AccelDecision {
        if (!KVM.equals(accel) && !TCG.equals(accel)) {
            throw new IllegalArgumentException("accel must be kvm or tcg, not " + accel);
        }
    }

    @JsonIgnore // derived; the cache file holds the four components only
    public boolean isKvm() {
        return KVM.equals(accel);
    }
}
