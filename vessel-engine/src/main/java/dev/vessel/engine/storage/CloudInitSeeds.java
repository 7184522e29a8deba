package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Boot;
import dev.vessel.host.ProcessRunner;
import dev.vessel.model.CloudInitRequest;
import dev.vessel.storage.cloudinit.CloudInitConfig;
import dev.vessel.storage.cloudinit.CloudInitDocuments;
import dev.vessel.storage.cloudinit.CloudInitSeed;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * The cloud-init seed of a new VM: documents from the request, written to {@code <state>/cloud-init/} and built into
 * {@code seed.iso}, which is added as a read-only CD-ROM after the VM's other disks. The instance id is
 * {@code vessel-<id>}, so a clone (new id) is a new instance to cloud-init.
 */
public final class CloudInitSeeds {
    private final CloudInitDocuments documents;
    private final CloudInitSeed seed;

    public CloudInitSeeds(ProcessRunner proc) {
        this.documents = new CloudInitDocuments(proc);
        this.seed = new CloudInitSeed(proc);
    }

    /** Checks the request before anything is made (the create fails without side effects on bad input). */
    public CloudInitConfig config(CloudInitRequest r, String instanceId, String name) {
        boolean options = r.user() != null
                || r.password() != null
                || (r.sshKeys() != null && !r.sshKeys().isEmpty());
        if (r.userData() != null && options) {
            throw VesselException.invalid("cloudInit", "give either userData or user/password/sshKeys, not both");
        }
        String userData = r.userData() != null ? r.userData() : documents.userData(r.user(), r.password(), r.sshKeys());
        return new CloudInitConfig(
                userData,
                CloudInitDocuments.metaData("vessel-" + instanceId, dev.vessel.core.model.ProjectKey.nameOf(name)),
                r.networkConfig());
    }

    /** Builds the seed in the VM's directory and returns the boot with it attached. */
    public Boot attach(Boot boot, CloudInitConfig config, Path stateDir) {
        Path iso = seed.build(stateDir.resolve(VmDisks.CLOUD_INIT), config);
        var disks = new ArrayList<>(boot.disks());
        disks.add(new Boot.Disk(iso.toString(), Boot.DiskFormat.raw, true, Boot.DiskMedia.cdrom));
        return new Boot(boot.kernel(), boot.initrd(), boot.cmdline(), disks);
    }
}
