package dev.vessel.engine.vm;

import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.VmSpec;
import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Proxmox VE's {@code onboot}: the VMs marked autostart start when the daemon first starts after the host booted.
 * The host's boot id ({@code /proc/sys/kernel/random/boot_id}) is kept in the data dir; a daemon that starts again
 * within the same boot (a crash, an upgrade) finds it unchanged and starts nothing, so a VM its user stopped stays
 * stopped, and running VMs were adopted anyway.
 */
public final class VmAutostart {
    public static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final System.Logger LOG = System.getLogger(VmAutostart.class.getName());

    private final Path kept;
    private final Path bootId;

    /**
     * @param kept where the boot id of the last start is kept
     * @param bootId where the host's current boot id is read
     */
    public VmAutostart(Path kept, Path bootId) {
        this.kept = kept;
        this.bootId = bootId;
    }

    /** Starts (with {@code start}, given the key) the stopped autostart VMs, if the host booted since the last run. */
    public List<String> run(List<Instance> instances, Consumer<String> start) {
        String now;
        try {
            now = Files.readString(bootId).strip();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the host's boot id (" + bootId + "): no autostart");
            return List.of();
        }
        String before = null;
        try {
            before = Files.exists(kept) ? Files.readString(kept).strip() : null;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read " + kept + ": taken as a new boot");
        }
        if (now.equals(before)) {
            return List.of();
        }
        // Kept first: a start that fails (or a daemon that dies while starting) is not tried again at every restart.
        AtomicFiles.write(kept, now + "\n");
        var started = new ArrayList<String>();
        for (Instance i : instances) {
            if (i.spec() instanceof VmSpec vm
                    && vm.autostart()
                    && !vm.template()
                    && (i.state() instanceof InstanceState.Stopped || i.state() instanceof InstanceState.Created)) {
                String key = i.name(); // the store keeps the key (web, or web.dev in project dev)
                try {
                    start.accept(key);
                    started.add(key);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "autostart of vm " + key + " failed: " + e.getMessage());
                }
            }
        }
        if (!started.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "autostart: starting " + started);
        }
        return started;
    }
}
