package dev.vessel.qemu;

import dev.vessel.core.model.VmSpec;
import dev.vessel.oci.OciSpec;
import dev.vessel.oci.OciSpec.Device;
import dev.vessel.oci.OciSpec.Mount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OCI runtime spec of the container a VM's QEMU runs in: QEMU as the VM's own unprivileged uid, a read-only root
 * that holds only the host's /usr (read-only) and the VM's own directories, no capabilities, no new privileges, no
 * network, only the devices the VM needs (owned by that uid), and a memory limit of guest RAM plus
 * {@link QemuOverhead}.
 */
public final class VmContainerSpec {
    /** /dev/kvm. */
    public static final Device KVM = new Device("/dev/kvm", 'c', 10, 232);
    /** /dev/net/tun: QEMU opens its taps through it. */
    public static final Device TUN = new Device("/dev/net/tun", 'c', 10, 200);
    /** /dev/vhost-net: the in-kernel data path of virtio-net. */
    public static final Device VHOST_NET = new Device("/dev/vhost-net", 'c', 10, 238);

    private VmContainerSpec() {}

    /**
     * @param imagesDir host directory of shared images, mounted read-only (backing files, kernels)
     * @param cgroupsPath where runc puts the container's cgroup, e.g. /vessel/vessel-ID
     */
    public static OciSpec build(
            String name,
            VmSpec spec,
            VmPaths paths,
            List<String> argv,
            boolean kvm,
            Path imagesDir,
            String cgroupsPath,
            int uid) {
        return build(name, spec, paths, argv, kvm, imagesDir, cgroupsPath, false, false, uid);
    }

    /**
     * @param nics the VM has NICs: QEMU needs /dev/net/tun (only then, so a VM without NICs cannot make taps)
     * @param vhost and /dev/vhost-net for their in-kernel data path
     * @param uid the VM's own uid (and gid) that QEMU runs as, from {@link VmUids}; it owns the devices it gets
     */
    public static OciSpec build(
            String name,
            VmSpec spec,
            VmPaths paths,
            List<String> argv,
            boolean kvm,
            Path imagesDir,
            String cgroupsPath,
            boolean nics,
            boolean vhost,
            int uid) {
        var mounts = new ArrayList<Mount>();
        mounts.add(new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        mounts.add(new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        mounts.add(new Mount(
                "/dev/pts",
                "devpts",
                "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")));
        mounts.add(new Mount(
                "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        mounts.add(new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        mounts.add(new Mount("/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777", "size=16m")));
        mounts.add(Mount.bind("/usr", "/usr", true));
        mounts.add(Mount.bind(imagesDir.toString(), imagesDir.toString(), true));
        mounts.add(Mount.bind(paths.stateDir().toString(), paths.stateDir().toString(), false));
        mounts.add(Mount.bind(paths.runDir().toString(), paths.runDir().toString(), false));
        var devices = new ArrayList<Device>();
        if (kvm) {
            devices.add(KVM);
        }
        if (nics) {
            devices.add(TUN);
            if (vhost) {
                devices.add(VHOST_NET);
            }
        }
        long limit = QemuOverhead.containerLimit(spec.memoryBytes(), spec.cpus(), !kvm)
                + (spec.platform().tpm() ? QemuOverhead.SWTPM : 0);
        var resources = new OciSpec.Resources(limit, 100_000L * spec.cpus(), 100_000L, 1024);
        return new OciSpec(
                name,
                argv,
                List.of("PATH=/usr/bin:/bin", "HOME=/tmp"),
                "/",
                uid,
                uid,
                List.of(),
                paths.bundle().resolve("rootfs").toString(),
                true,
                mounts,
                List.of("pid", "ipc", "uts", "mount", "network", "cgroup"),
                resources,
                List.copyOf(devices),
                cgroupsPath,
                0);
    }

    /** Directories and links the empty root needs so that /usr is enough: /bin, /lib and /lib64 point into it. */
    public static void prepareRootfs(Path rootfs) {
        try {
            java.nio.file.Files.createDirectories(rootfs);
            for (String d : List.of("usr", "proc", "dev", "sys", "tmp", "etc")) {
                java.nio.file.Files.createDirectories(rootfs.resolve(d));
            }
            for (String l : List.of("bin", "sbin", "lib", "lib64")) {
                Path link = rootfs.resolve(l);
                if (!java.nio.file.Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    java.nio.file.Files.createSymbolicLink(link, Path.of("usr/" + l));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot prepare " + rootfs, e);
        }
    }
}
