package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vessel.core.error.VesselException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The guest operating system a VM is tuned for, as Proxmox VE's {@code ostype}: it picks the firmware, the TPM, the
 * disk bus, the NIC model, the clock and the Hyper-V enlightenments a user would otherwise have to know.
 */
public enum OsProfile {
    /** Linux and other guests with virtio drivers built in: virtio disks and NICs, SeaBIOS, the clock in UTC. */
    @JsonProperty("linux")
    LINUX("linux", false, Firmware.BIOS, false),
    @JsonProperty("win10")
    WIN10("win10", true, Firmware.UEFI, false),
    /** Windows 11 requires UEFI with Secure Boot and TPM 2.0. */
    @JsonProperty("win11")
    WIN11("win11", true, Firmware.UEFI_SECURE, true),
    @JsonProperty("win2019")
    WIN2019("win2019", true, Firmware.UEFI, false),
    @JsonProperty("win2022")
    WIN2022("win2022", true, Firmware.UEFI_SECURE, true),
    @JsonProperty("win2025")
    WIN2025("win2025", true, Firmware.UEFI_SECURE, true);

    private final String label;
    private final boolean windows;
    private final Firmware firmware;
    private final boolean tpm;

    OsProfile(String label, boolean windows, Firmware firmware, boolean tpm) {
        this.label = label;
        this.windows = windows;
        this.firmware = firmware;
        this.tpm = tpm;
    }

    public String label() {
        return label;
    }

    /** Windows wants its clock in local time, no HPET, no S3/S4, Hyper-V enlightenments and a SATA disk until virtio drivers are in. */
    public boolean windows() {
        return windows;
    }

    /** The firmware this OS gets unless the user chooses. */
    public Firmware defaultFirmware() {
        return firmware;
    }

    /** Whether this OS gets a TPM unless the user chooses. */
    public boolean defaultTpm() {
        return tpm;
    }

    /** Null or empty is {@link #LINUX}. */
    public static OsProfile parse(String field, String s) {
        if (s == null || s.isEmpty()) {
            return LINUX;
        }
        for (OsProfile p : values()) {
            if (p.label.equals(s.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw VesselException.invalid(
                field,
                "'" + s + "' is not an OS profile; use one of "
                        + Arrays.stream(values()).map(OsProfile::label).collect(Collectors.joining(", ")));
    }
}
