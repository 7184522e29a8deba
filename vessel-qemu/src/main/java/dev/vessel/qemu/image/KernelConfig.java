package dev.vessel.qemu.image;

import dev.vessel.core.error.VesselException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a kernel's {@code boot/config-*} says about the drivers the tiny guest relies on. A driver built in needs
 * nothing; one built as a module has to go into the initramfs and be loaded by init; one missing makes the image
 * useless, so the build stops.
 */
public final class KernelConfig {
    /** A driver the guest needs, the config symbol that builds it and the module it becomes when {@code =m}. */
    public record Driver(String symbol, String module, String why) {}

    /** Drivers that may be modules. */
    public static final List<Driver> DRIVERS = List.of(
            new Driver("CONFIG_VIRTIO_PCI", "virtio_pci", "the PCI transport of every virtio device"),
            new Driver("CONFIG_VIRTIO_BLK", "virtio_blk", "the root disk"),
            new Driver("CONFIG_VIRTIO_NET", "virtio_net", "the network card"),
            new Driver("CONFIG_VIRTIO_BALLOON", "virtio_balloon", "the memory balloon"),
            new Driver("CONFIG_VIRTIO_CONSOLE", "virtio_console", "virtio serial ports"),
            new Driver("CONFIG_EXT4_FS", "ext4", "the root file system"),
            new Driver("CONFIG_ACPI_BUTTON", "button", "the ACPI power button (QMP system_powerdown)"),
            new Driver("CONFIG_INPUT_EVDEV", "evdev", "the event device acpid reads the power button from"));

    /** Features that only work built in: they are needed before any module could be loaded. */
    public static final List<Driver> BUILT_IN = List.of(
            new Driver("CONFIG_BLK_DEV_INITRD", "", "booting from an initramfs"),
            new Driver("CONFIG_RD_GZIP", "", "a gzip-compressed initramfs"),
            new Driver("CONFIG_DEVTMPFS", "", "device nodes in /dev"),
            new Driver("CONFIG_SERIAL_8250_CONSOLE", "", "the serial console on ttyS0"),
            new Driver("CONFIG_ACPI", "", "ACPI power-off"));

    private final Map<String, String> values;

    private KernelConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Parses the text of a kernel .config; "# CONFIG_X is not set" and absent symbols both read as not set. */
    public static KernelConfig parse(String text) {
        var values = new HashMap<String, String>();
        for (String line : text.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("CONFIG_")) {
                int eq = l.indexOf('=');
                if (eq > 0) {
                    values.put(l.substring(0, eq), l.substring(eq + 1));
                }
            }
        }
        return new KernelConfig(values);
    }

    /** "y", "m", another value, or null when not set. */
    public String value(String symbol) {
        return values.get(symbol);
    }

    /**
     * The module names (as in modules.dep, e.g. "virtio_blk") that must be loaded from the initramfs, in the order of
     * {@link #DRIVERS}. Throws if the kernel cannot run the guest at all.
     */
    public List<String> modulesToLoad() {
        var missing = new ArrayList<String>();
        for (Driver d : BUILT_IN) {
            if (!"y".equals(value(d.symbol()))) {
                missing.add(d.symbol() + "=y (" + d.why() + ")");
            }
        }
        var modules = new ArrayList<String>();
        for (Driver d : DRIVERS) {
            String v = value(d.symbol());
            if ("m".equals(v)) {
                modules.add(d.module());
            } else if (!"y".equals(v)) {
                missing.add(d.symbol() + " (" + d.why() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw VesselException.invalid(
                    "kernel", "the kernel lacks what the tiny guest needs: " + String.join(", ", missing));
        }
        return List.copyOf(modules);
    }
}
