package dev.vessel.model;

/**
 * How a running instance's main process (QEMU for a VM) is confined, read from its /proc status: its uid and gid,
 * its effective capabilities (hex, as the kernel prints them; 0 = none), whether it may gain privileges, and its
 * seccomp mode (none, strict, filter).
 */
public record Confinement(int uid, int gid, String capEff, boolean noNewPrivs, String seccomp) {
    public boolean noCapabilities() {
        return capEff != null && capEff.chars().allMatch(c -> c == '0');
    }
}
