package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.GuestMac;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.qemu.VmHostLayout;
import dev.vessel.qemu.VmPaths;
import dev.vessel.storage.cloudinit.CloudInitConfig;
import dev.vessel.storage.cloudinit.CloudInitDocuments;
import dev.vessel.storage.cloudinit.CloudInitSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What clones and restores share: a new id (so a new SMBIOS UUID, see {@code QemuVmDriver.smbiosUuid}, and new IP
 * leases, which are keyed by instance id), a new MAC, a new cloud-init instance id, and storing the result.
 */
public final class NewVms {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final InstanceStore instances;
    private final dev.vessel.engine.project.Quotas quotas;
    private final VmHostLayout layout;
    private final CloudInitSeed seeds;
    private final Clock clock;
    private final NicReserver nics;

    public NewVms(
            InstanceStore instances,
            VmHostLayout layout,
            CloudInitSeed seeds,
            Clock clock,
            NicReserver nics,
            dev.vessel.engine.project.Quotas quotas) {
        this.quotas = quotas;
        this.instances = instances;
        this.layout = layout;
        this.seeds = seeds;
        this.clock = clock;
        this.nics = nics;
    }

    public static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public VmPaths paths(String id) {
        return layout.paths(id);
    }

    /** Refuses a name that is invalid or taken (by a VM or a container). */
    public String requireFreeName(String name) {
        dev.vessel.core.model.ProjectKey.parse("name", name);
        if (instances.byName(name).isPresent()) {
            throw VesselException.exists("instance", name);
        }
        return name;
    }

    /**
     * Refuses, before any copying, a new VM like {@code like} that its project's quotas cannot hold; its disks count
     * at their sizes in {@code like} (the source's, for a clone).
     */
    public void requireRoom(String key, VmSpec like) {
        quotas.check(key, dev.vessel.engine.project.Footprint.of(like));
    }

    /** Copies a boot file that lives in another VM's directory into this one's; shared files (images) stay where they are. */
    public static String bootFile(String path, Path fromState, Path toState) {
        if (path == null || !Path.of(path).startsWith(fromState)) {
            return path;
        }
        Path target = toState.resolve(fromState.relativize(Path.of(path)));
        try {
            Files.createDirectories(target.getParent());
            Files.copy(Path.of(path), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + path, e);
        }
        return target.toString();
    }

    /** Like {@link #bootFile}, hard-linking where it can: for read-only media (an ISO of many GiB, a setup image). */
    public static String linkOrCopy(String path, Path fromState, Path toState) {
        if (path == null || !Path.of(path).startsWith(fromState)) {
            return path;
        }
        Path target = toState.resolve(fromState.relativize(Path.of(path)));
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            Files.createLink(target, Path.of(path));
            return target.toString();
        } catch (IOException | UnsupportedOperationException e) {
            return bootFile(path, fromState, toState);
        }
    }

    /** A new seed for the new VM from the old one's documents: same user-data, a new instance id and host name. */
    public Boot.Disk reseed(Optional<CloudInitConfig> from, String newId, String newName, Path newState) {
        CloudInitConfig old =
                from.orElseThrow(() -> VesselException.state("the cloud-init documents of the source are missing"));
        var config = new CloudInitConfig(
                old.userData(),
                CloudInitDocuments.metaData("vessel-" + newId, dev.vessel.core.model.ProjectKey.nameOf(newName)),
                old.networkConfig());
        Path iso = seeds.build(newState.resolve(VmDisks.CLOUD_INIT), config);
        return new Boot.Disk(iso.toString(), Boot.DiskFormat.raw, true, Boot.DiskMedia.cdrom);
    }

    /**
     * Stores the new VM, stopped, with a new MAC and not a template. Its NICs are on the source's networks, with MACs and
     * addresses of their own, reserved now as {@code vm create} reserves them (never the source's static address).
     */
    public Instance store(String id, String name, VmSpec from, Boot boot) {
        var fresh = dev.vessel.core.model.NicSpec.forNewInstance(from.nics());
        var reserved = fresh == null || fresh.isEmpty() ? fresh : nics.reserve(id, name, fresh);
        try {
            var spec = new VmSpec(
                            from.memoryBytes(),
                            from.cpus(),
                            from.accel(),
                            from.stopTimeoutSeconds(),
                            from.image(),
                            boot,
                            from.readyMarker(),
                            GuestMac.forInstance(id),
                            false)
                    .withNics(reserved)
                    .withDisplay(from.display())
                    .withPlatform(from.platform());
            var instance = new Instance(
                    id, name, InstanceKind.VM, spec, new InstanceState.Created(clock.instant()), null, clock.instant());
            return quotas.admit(name, spec, () -> {
                instances.insert(instance);
                return instance;
            });
        } catch (RuntimeException e) {
            nics.release(id);
            throw e;
        }
    }
}
