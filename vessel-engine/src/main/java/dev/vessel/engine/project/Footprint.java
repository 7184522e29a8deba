package dev.vessel.engine.project;

import dev.vessel.core.model.Boot;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.InstanceSpec;
import dev.vessel.core.model.VmSpec;
import dev.vessel.model.ProjectUsage;
import java.nio.file.Path;

/**
 * What one instance holds of its project's quotas: one instance; a VM its vCPUs, memory and writable disks (read-only
 * media and CD-ROMs are shared images); a container its CPU and memory limits (its root file system has no size).
 */
public final class Footprint {
    private Footprint() {}

    public static ProjectUsage of(InstanceSpec spec) {
        return switch (spec) {
            case VmSpec vm -> new ProjectUsage(1, vm.cpus(), vm.memoryBytes(), disks(vm.boot()));
            case ContainerSpec c -> new ProjectUsage(1, c.cpus(), c.memoryBytes(), 0);
        };
    }

    static long disks(Boot boot) {
        if (boot == null || boot.disks() == null) {
            return 0;
        }
        long sum = 0;
        for (Boot.Disk d : boot.disks()) {
            Path p = Path.of(d.path());
            boolean volume = p.getParent() != null
                    && p.getParent().getFileName() != null
                    && p.getParent().getFileName().toString().equals(dev.vessel.engine.storage.VmDisks.VOLUMES);
            // An attached volume is counted as the volume it is (Quotas sums them), not again as the VM's.
            if (!d.readOnly() && d.media() != Boot.DiskMedia.cdrom && !volume) {
                sum += DiskSizes.virtualSize(p);
            }
        }
        return sum;
    }
}
