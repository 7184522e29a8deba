package dev.vessel.engine.instance;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Display;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.VmSpec;
import dev.vessel.qemu.qmp.QmpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The screens of VMs with a display: QEMU's VNC server on a unix socket in the run dir, with {@code password=on}.
 * No password is set at start, so nobody gets in; each console ticket sets a fresh one-time password over QMP
 * ({@code set_password}) that expires with the ticket ({@code expire_password}), as PVE does for its vncproxy. VNC
 * passwords are at most 8 characters (the protocol's DES key); a socket that only root's daemon reaches, and a
 * password good for 30 s, make up for that.
 */
public final class VmScreens {
    static final int PASSWORD_LENGTH = 8;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Function<String, Optional<QmpClient>> qmp;
    private final Function<Instance, Path> socketOf;
    private final int lifeSeconds;

    /** @param qmp a running VM's QMP, by instance id */
    public VmScreens(Function<String, Optional<QmpClient>> qmp, Function<Instance, Path> socketOf, int lifeSeconds) {
        this.qmp = qmp;
        this.socketOf = socketOf;
        this.lifeSeconds = lifeSeconds;
    }

    boolean has(Instance i) {
        return i.spec() instanceof VmSpec vm && vm.display() != Display.none;
    }

    Path socket(Instance i) {
        return socketOf.apply(i);
    }

    /**
     * The screen as QEMU draws it now, as PNG ({@code screendump}). QEMU writes the file itself, as the VM's own
     * user, into the VM's run dir (the one place its container lets it write); the daemon reads it and removes it.
     */
    byte[] screendump(Instance i) {
        var monitor =
                qmp.apply(i.id()).orElseThrow(() -> VesselException.state("vm '" + i.name() + "' is not running"));
        Path file = socketOf.apply(i).resolveSibling("screendump-" + Long.toHexString(RANDOM.nextLong()) + ".png");
        try {
            monitor.execute("screendump", Map.of("filename", file.toString(), "format", "png"));
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw VesselException.host("cannot read the screen of '" + i.name() + "': " + e.getMessage(), e);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (java.io.IOException e) {
                // a leftover in the run dir goes with the VM's run dir
            }
        }
    }

    /** Sets a new one-time VNC password, good for the life of a ticket, and returns it. */
    String password(Instance i) {
        var monitor =
                qmp.apply(i.id()).orElseThrow(() -> VesselException.state("vm '" + i.name() + "' is not running"));
        var sb = new StringBuilder(PASSWORD_LENGTH);
        for (int n = 0; n < PASSWORD_LENGTH; n++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        String password = sb.toString();
        monitor.execute("set_password", Map.of("protocol", "vnc", "password", password));
        monitor.execute("expire_password", Map.of("protocol", "vnc", "time", "+" + lifeSeconds));
        return password;
    }
}
