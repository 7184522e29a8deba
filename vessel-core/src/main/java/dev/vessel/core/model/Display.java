package dev.vessel.core.model;

import dev.vessel.core.error.VesselException;
import java.util.Locale;

/**
 * A VM's display: none (the serial console only, as the tiny guest), or a graphics card whose screen QEMU serves over
 * VNC on a unix socket in the VM's run dir, password-protected, for the web UI's noVNC through the daemon.
 */
public enum Display {
    none,
    /** Bochs-compatible std VGA: works with SeaBIOS, OVMF and every OS without drivers. */
    std,
    /** virtio-vga: faster, and resizes with the window, with the guest's virtio-gpu driver. */
    virtio;

    public static Display parse(String field, String s) {
        if (s == null || s.isEmpty()) {
            return none;
        }
        try {
            return valueOf(s.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw VesselException.invalid(field, "'" + s + "' is not a display; use none, std or virtio");
        }
    }
}
