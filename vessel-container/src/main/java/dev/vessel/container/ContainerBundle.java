package dev.vessel.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerMount;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.IdRange;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.TmpfsMount;
import dev.vessel.host.Json;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.oci.OciSpec.Mount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the runtime needs to start one container, made from its spec, its image's config and its root file
 * system: the process (vessel-init in front of the image's command), the user resolved in the container's own
 * /etc/passwd, the mounts, the limits, and the generated /etc files.
 */
public final class ContainerBundle {
    /** Where vessel-init is bound inside every container: on /dev's tmpfs, so the image's root is not touched. */
    public static final String INIT_PATH = "/dev/.vessel-init";

    /** What was decided for one start. */
    public record Prepared(
            ProcessSettings process,
            UserResolver.User user,
            ContainerConfig config,
            String hostname,
            boolean hostNetwork) {
        /** Whether the network needs the container's new namespace between runc create and start. */
        public boolean attaches(ContainerSpec spec) {
            return !hostNetwork && !"none".equals(spec.network());
        }
    }

    private ContainerBundle() {}

    /**
     * @param initBinary vessel-init on the host
     * @param nofileHard the hard limit of open files the container may have ({@link ContainerConfig#NOFILE_HARD})
     */
    public static Prepared prepare(
            Instance instance,
            ImageConfig image,
            ContainerPaths paths,
            Path initBinary,
            ContainerVolumes volumes,
            long nofileHard) {
        ContainerSpec spec = (ContainerSpec) instance.spec();
        String hostname = spec.hostname() != null ? spec.hostname() : instance.shortName();
        boolean hostNetwork = "host".equals(spec.network());
        ProcessSettings process = ProcessSettings.of(image, spec, hostname);
        UserResolver.User user = UserResolver.resolve(paths.rootfs(), process.user());
        IdRange ids = spec.usernsRange();
        if (ids != null) {
            requireMapped(user, ids);
        }
        process = process.withHome(user.home());
        EtcFiles.write(paths.etc(), hostname, hostNetwork);
        var mounts = new ArrayList<Mount>(ContainerConfig.baseMounts(ids != null && hostNetwork));
        for (String f : List.of("hostname", "hosts", "resolv.conf")) {
            if (ids != null) {
                // root in the container may change its own /etc files, as without a user namespace
                IdShift.chown(paths.etc().resolve(f), ids.toHost(0), ids.toHost(0));
            }
            mounts.add(new Mount(
                    "/etc/" + f,
                    "bind",
                    paths.etc().resolve(f).toString(),
                    List.of("rbind", "nosuid", "nodev", spec.readOnly() ? "ro" : "rw")));
        }
        for (TmpfsMount t : spec.tmpfs()) {
            mounts.add(tmpfs(t));
        }
        for (ContainerMount m : spec.mounts()) {
            String source = m.type() == ContainerMount.Type.VOLUME
                    ? volumes.mountSource(m.source(), ids).toString()
                    : m.source();
            mounts.add(new Mount(m.target(), "bind", source, List.of("rbind", m.readOnly() ? "ro" : "rw")));
        }
        mounts.add(new Mount(INIT_PATH, "bind", initBinary.toString(), List.of("bind", "ro", "nosuid", "nodev")));
        var args = new ArrayList<String>(List.of(INIT_PATH, "--status-fd", "3"));
        if (spec.tty()) {
            args.addAll(List.of("--tty", "24", "80"));
        }
        if (spec.interactive()) {
            args.add("--stdin");
        }
        args.add("--");
        args.addAll(process.args());
        long quota = spec.cpus() > 0 ? Math.max(1000, Math.round(spec.cpus() * 100_000)) : 0;
        var config = new ContainerConfig(
                hostname,
                args,
                process.env(),
                process.cwd(),
                user.uid(),
                user.gid(),
                user.additionalGids(),
                paths.rootfs().toString(),
                spec.readOnly(),
                mounts,
                hostNetwork,
                spec.memoryBytes(),
                quota,
                100_000,
                spec.pidsLimit(),
                ContainerHostLayout.cgroupsPath(instance.id()),
                nofileHard,
                spec.noNewPrivileges(),
                ids);
        EtcFiles.plain(paths.bundle().resolve("config.json"), Json.pretty(config.toJson()) + "\n");
        return new Prepared(process, user, config, hostname, hostNetwork);
    }

    /** The process's ids must be among the container's: runc could not set an unmapped one. */
    private static void requireMapped(UserResolver.User user, IdRange ids) {
        var all = new ArrayList<Integer>(List.of(user.uid(), user.gid()));
        all.addAll(user.additionalGids());
        for (int id : all) {
            if (Integer.toUnsignedLong(id) >= ids.size()) {
                throw VesselException.invalid(
                        "user",
                        "id " + Integer.toUnsignedLong(id) + " is outside the " + ids.size()
                                + " ids of the container's user namespace (--userns auto)");
            }
        }
    }

    static Mount tmpfs(TmpfsMount t) {
        var opts = new ArrayList<>(List.of("nosuid", "nodev"));
        if (!t.options().contains("exec")) {
            opts.add("noexec");
        }
        for (String o : t.options()) {
            if (!o.equals("exec")) {
                opts.add(o);
            }
        }
        if (t.options().stream().noneMatch(o -> o.startsWith("mode="))) {
            opts.add("mode=1777");
        }
        return new Mount(t.target(), "tmpfs", "tmpfs", opts);
    }
}
