package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vessel.core.error.VesselException;
import java.util.Locale;

/**
 * What the VM's firmware is: SeaBIOS, or Debian's OVMF (UEFI) from {@code /usr/share/OVMF}, with or without Secure
 * Boot. A UEFI VM keeps its own copy of the variables store (boot entries, Secure Boot keys) as a qcow2 disk, so that
 * snapshots, backups and clones carry it like any other disk.
 */
public enum Firmware {
    @JsonProperty("bios")
    BIOS,
    @JsonProperty("uefi")
    UEFI,
    /** OVMF built with Secure Boot (and SMM), its variables pre-enrolled with Microsoft's keys. */
    @JsonProperty("uefi-secure")
    UEFI_SECURE;

    public boolean uefi() {
        return this != BIOS;
    }

    public String label() {
        return switch (this) {
            case BIOS -> "bios";
            case UEFI -> "uefi";
            case UEFI_SECURE -> "uefi-secure";
        };
    }

    /** Null or empty is null: the OS profile's choice. */
    public static Firmware parse(String field, String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        for (Firmware f : values()) {
            if (f.label().equals(s.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw VesselException.invalid(field, "'" + s + "' is not a firmware; use bios, uefi or uefi-secure");
    }
}
