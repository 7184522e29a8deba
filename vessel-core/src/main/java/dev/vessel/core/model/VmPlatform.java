package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The machine a VM's guest sees, beyond CPUs, memory and devices: the OS it is tuned for, its firmware, and whether
 * it has a TPM 2.0 (swtpm, run inside the VM's own container; its state lives in the VM's disks dir and is carried by
 * snapshots, backups and clones).
 *
 * @param varsTemplate where the UEFI variables were first copied from (Debian's {@code OVMF_VARS_4M.ms.fd}, or the
 *     file a user supplied); null for BIOS
 */
@JsonIgnoreProperties(value = "secureBootNote", allowGetters = true)
public record VmPlatform(OsProfile os, Firmware firmware, boolean tpm, String varsTemplate) {
    /** What every VM was before platforms existed. */
    public static final VmPlatform LINUX_BIOS = new VmPlatform(OsProfile.LINUX, Firmware.BIOS, false, null);

    /** Debian 12's Secure Boot variables: Microsoft's keys as they were when it was built. */
    public static final String DEBIAN_MS_VARS = "/usr/share/OVMF/OVMF_VARS_4M.ms.fd";

    public VmPlatform {
        os = os == null ? OsProfile.LINUX : os;
        firmware = firmware == null ? os.defaultFirmware() : firmware;
        if (!firmware.uefi()) {
            varsTemplate = null;
        }
    }

    /**
     * What a user must know about the Secure Boot keys: Debian 12's template enrols only Microsoft's 2011 UEFI CA,
     * which expired in June 2026, so media signed only with the 2023 CA do not boot until the VM's db is updated or a
     * newer template is supplied (as Proxmox VE warns for its {@code pre-enrolled-keys}). Null when nothing applies.
     */
    @JsonProperty("secureBootNote")
    public String secureBootNote() {
        if (firmware != Firmware.UEFI_SECURE || !DEBIAN_MS_VARS.equals(varsTemplate)) {
            return null;
        }
        return "Secure Boot keys from Debian 12's OVMF_VARS_4M.ms.fd: only Microsoft's 2011 UEFI CA, which expired in"
                + " June 2026; media signed only with the 2023 CA will not boot. Supply a newer template"
                + " (--vars-template) or update the guest's db.";
    }
}
