package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a VM's vCPUs run: hardware KVM, QEMU's TCG emulator, or KVM only where a probe proved it works. */
public enum AccelMode {
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("kvm")
    KVM,
    @JsonProperty("tcg")
    TCG;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
