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
 * @param virtio the guest has virtio drivers for its root disk and NICs: always for Linux; for Windows once virtio-win
 *     is in (an unattended setup with a drivers CD loads them), else SATA and e1000e. VMs stored before it read as
 *     false for Windows
 * @param bootOrder the firmware's order of {@code disk}, {@code cdrom} and {@code net}; VMs stored before it existed
 *     read as {@link #DEFAULT_BOOT_ORDER}
 */
@JsonIgnoreProperties(value = "secureBootNote", allowGetters = true)
public record VmPlatform(
        OsProfile os,
        Firmware firmware,
        boolean tpm,
        String varsTemplate,
        java.util.List<String> bootOrder,
        Boolean virtio) {
    /** Proxmox VE's default: the root disk, then the CD-ROMs (a blank disk is skipped, so an install boots its CD). */
    public static final java.util.List<String> DEFAULT_BOOT_ORDER = java.util.List.of("disk", "cdrom");

    private static final java.util.Set<String> BOOT_DEVICES = java.util.Set.of("disk", "cdrom", "net");

    /** What every VM was before platforms existed (after the constants its constructor reads). */
    public static final VmPlatform LINUX_BIOS = new VmPlatform(OsProfile.LINUX, Firmware.BIOS, false, null);

    public VmPlatform(OsProfile os, Firmware firmware, boolean tpm, String varsTemplate) {
        this(os, firmware, tpm, varsTemplate, null, null);
    }

    public VmPlatform(
            OsProfile os, Firmware firmware, boolean tpm, String varsTemplate, java.util.List<String> bootOrder) {
        this(os, firmware, tpm, varsTemplate, bootOrder, null);
    }

    /** The same platform with (or without) virtio drivers in a Windows guest. */
    public VmPlatform withVirtio(boolean next) {
        return new VmPlatform(os, firmware, tpm, varsTemplate, bootOrder, next);
    }

    /** {@code disk,cdrom,net} in any order, each at most once; null or empty is the default. */
    public static java.util.List<String> parseBootOrder(String field, String s) {
        if (s == null || s.isBlank()) {
            return DEFAULT_BOOT_ORDER;
        }
        var out = new java.util.ArrayList<String>();
        for (String part : s.split(",")) {
            String p = part.strip().toLowerCase(java.util.Locale.ROOT);
            if (!BOOT_DEVICES.contains(p)) {
                throw dev.vessel.core.error.VesselException.invalid(
                        field, "'" + part + "' is not a boot device; use disk, cdrom and net, e.g. cdrom,disk");
            }
            if (out.contains(p)) {
                throw dev.vessel.core.error.VesselException.invalid(field, "'" + p + "' is named twice");
            }
            out.add(p);
        }
        return java.util.List.copyOf(out);
    }

    /** Debian 12's Secure Boot variables: Microsoft's keys as they were when it was built. */
    public static final String DEBIAN_MS_VARS = "/usr/share/OVMF/OVMF_VARS_4M.ms.fd";

    public VmPlatform {
        os = os == null ? OsProfile.LINUX : os;
        virtio = !os.windows() || Boolean.TRUE.equals(virtio);
        bootOrder = bootOrder == null || bootOrder.isEmpty() ? DEFAULT_BOOT_ORDER : java.util.List.copyOf(bootOrder);
        if (!BOOT_DEVICES.containsAll(bootOrder) || new java.util.HashSet<>(bootOrder).size() != bootOrder.size()) {
            throw dev.vessel.core.error.VesselException.invalid(
                    "bootOrder", bootOrder + " is not an order of disk, cdrom, net");
        }
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
