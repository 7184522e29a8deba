package dev.vessel.engine.container;

import dev.vessel.container.ContainerHostLayout;
import dev.vessel.container.Signals;
import dev.vessel.container.UserResolver;
import dev.vessel.container.UsernsRanges;
import dev.vessel.container.WritableLayer;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ByteSize;
import dev.vessel.core.model.ContainerMount;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.IdRange;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.core.model.TmpfsMount;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.host.AtomicFiles;
import dev.vessel.image.ImageInfo;
import dev.vessel.model.ContainerCreateRequest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a create request into a stored container: validates every field, pins the image by id, gives a container
 * with {@code --userns auto} its range of host ids, makes the writable layer (an overlay's dirs, or a flattened copy,
 * shifted into that range) and reserves the container's address. A failure leaves nothing, the range included.
 */
public final class ContainerCreator {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,255}");
    private static final long MIN_MEMORY = 4L << 20;
    private static final int MAX_ARGS = 4096;

    /** Reserves the container's address on its network at create (throws when the network does not exist). */
    @FunctionalInterface
    public interface NetworkReservation {
        void reserve(String instanceId, String name, String network);

        /**
         * The network a container of {@code project} keeps for the {@code network} its user gave (a name becomes the
         * key of the network that name means in the project); without managed networks, what was given.
         */
        default String settle(String project, String network) {
            return network;
        }

        /** Publishes the container's ports ({@code -p}); throws when one is refused (the caller then releases). */
        default void publish(String name, List<String> ports) {
            if (!ports.isEmpty()) {
                throw VesselException.invalid("ports", "this daemon has no managed networks");
            }
        }

        /** Gives back what {@link #reserve} and {@link #publish} took. */
        default void release(String instanceId) {}

        NetworkReservation NONE = (id, name, network) -> {};
    }

    private final InstanceStore instances;
    private final dev.vessel.engine.project.Quotas quotas;
    private final OciImageOps images;
    private final WritableLayer layer;
    private final ContainerHostLayout layout;
    private final UsernsRanges ranges;
    private final NetworkReservation networks;
    private final boolean copyRootfs;
    private final Clock clock;

    public ContainerCreator(
            InstanceStore instances,
            OciImageOps images,
            WritableLayer layer,
            ContainerHostLayout layout,
            UsernsRanges ranges,
            NetworkReservation networks,
            boolean copyRootfs,
            Clock clock,
            dev.vessel.engine.project.Quotas quotas) {
        this.quotas = quotas;
        this.instances = instances;
        this.images = images;
        this.layer = layer;
        this.layout = layout;
        this.ranges = ranges;
        this.networks = networks;
        this.copyRootfs = copyRootfs;
        this.clock = clock;
    }

    /** Creates the container in {@code project} (null: the default one), within its quotas. */
    public Instance create(String project, ContainerCreateRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        String name = dev.vessel.core.model.ProjectKey.of(
                project, r.name() == null ? generatedName(project) : Names.requireValid("name", r.name()));
        if (instances.byName(name).isPresent()) {
            throw VesselException.exists("instance", name);
        }
        if (r.image() == null || r.image().isBlank()) {
            throw VesselException.invalid("image", "an image is required");
        }
        ImageInfo image;
        try {
            image = images.resolve(project, r.image());
        } catch (VesselException e) {
            if (e.type() == dev.vessel.core.error.ProblemType.NOT_FOUND) {
                throw new VesselException(
                        dev.vessel.core.error.ProblemType.NOT_FOUND,
                        "image '" + r.image() + "' not found; pull it first (vessel pull " + r.image() + ")",
                        java.util.Map.of("image", r.image()),
                        e);
            }
            throw e;
        }
        ContainerSpec spec = spec(r, image, networks.settle(project, r.network()));
        quotas.check(name, spec);
        String id = newId();
        var paths = layout.paths(id);
        try {
            IdRange ids = spec.ownUserns() ? ranges.allocate(id) : null;
            String mode = layer.create(paths, spec.imageId(), copyRootfs, ids);
            spec = withLayer(spec, mode, ids);
            var instance = new Instance(
                    id,
                    name,
                    InstanceKind.CONTAINER,
                    spec,
                    new InstanceState.Created(clock.instant()),
                    null,
                    clock.instant());
            quotas.admit(name, spec, () -> {
                instances.insert(instance);
                return instance;
            });
            try {
                networks.reserve(id, name, spec.network());
                networks.publish(name, r.ports() == null ? List.of() : r.ports());
            } catch (RuntimeException e) {
                try {
                    networks.release(id);
                } catch (RuntimeException u) {
                    e.addSuppressed(u);
                }
                instances.delete(id);
                throw e;
            }
            return instance;
        } catch (RuntimeException e) {
            AtomicFiles.deleteTree(paths.stateDir());
            ranges.release(id);
            throw e;
        }
    }

    ContainerSpec spec(ContainerCreateRequest r, ImageInfo image) {
        return spec(r, image, r.network());
    }

    /** @param network what the container keeps of the request's network (see {@link NetworkReservation#settle}) */
    ContainerSpec spec(ContainerCreateRequest r, ImageInfo image, String network) {
        List<String> entrypoint = r.entrypoint() == null ? null : args("entrypoint", r.entrypoint());
        List<String> command = r.command() == null ? List.of() : args("command", r.command());
        List<String> env = r.env() == null ? List.of() : r.env();
        if (env.size() > MAX_ARGS) {
            throw VesselException.invalid("env", "at most " + MAX_ARGS + " entries");
        }
        for (String e : env) {
            int eq = e == null ? -1 : e.indexOf('=');
            if (eq <= 0 || !ENV_KEY.matcher(e.substring(0, eq)).matches() || e.indexOf('\0') >= 0) {
                throw VesselException.invalid("env", "'" + e + "' is not KEY=VALUE");
            }
        }
        String workdir = r.workdir() == null ? null : workdir(r.workdir());
        String hostname = r.hostname() == null ? null : Names.requireValid("hostname", r.hostname());
        List<TmpfsMount> tmpfs = r.tmpfs() == null
                ? List.of()
                : r.tmpfs().stream().map(MountSyntax::tmpfs).toList();
        List<ContainerMount> mounts = r.volumes() == null
                ? List.of()
                : r.volumes().stream().map(MountSyntax::volume).toList();
        MountSyntax.distinctTargets(tmpfs, mounts);
        long memory = r.memory() == null ? 0 : ByteSize.parse("memory", r.memory());
        if (memory != 0 && memory < MIN_MEMORY) {
            throw VesselException.invalid(
                    "memory", ByteSize.format(memory) + " is below the minimum of " + ByteSize.format(MIN_MEMORY));
        }
        double cpus = r.cpus() == null ? 0 : r.cpus();
        int hostCpus = Runtime.getRuntime().availableProcessors();
        if (r.cpus() != null && (cpus < 0.01 || cpus > hostCpus || Double.isNaN(cpus))) {
            throw VesselException.invalid("cpus", cpus + " is outside 0.01.." + hostCpus + " (this host's CPUs)");
        }
        long pids = r.pidsLimit() == null ? 0 : r.pidsLimit();
        if (r.pidsLimit() != null && (pids < 1 || pids > 4_194_304)) {
            throw VesselException.invalid("pidsLimit", pids + " is outside 1..4194304");
        }
        if (r.network() != null && !r.network().equals("none") && !r.network().equals("host")) {
            Names.requireValid("network", r.network());
        }
        int stopTimeout = r.stopTimeout() == null ? 10 : r.stopTimeout();
        String stopSignal = r.stopSignal() == null ? null : Signals.parse("stopSignal", r.stopSignal());
        boolean tty = Boolean.TRUE.equals(r.tty());
        return new ContainerSpec(
                r.image(),
                image.id().toString(),
                entrypoint,
                command,
                env,
                workdir,
                UserResolver.validate(r.user()),
                hostname,
                Boolean.TRUE.equals(r.readOnly()),
                tmpfs,
                mounts,
                memory,
                cpus,
                pids,
                RestartPolicy.parse(r.restart()),
                network,
                tty,
                Boolean.TRUE.equals(r.interactive()),
                Boolean.TRUE.equals(r.autoRemove()),
                stopTimeout,
                stopSignal,
                null,
                SecurityOptions.noNewPrivileges(r.securityOpt()),
                UsernsOption.parse(r.userns()),
                null,
                r.labels());
    }

    private static String workdir(String w) {
        if (!w.startsWith("/")
                || w.indexOf('\0') >= 0
                || w.length() > 4096
                || List.of(w.split("/")).contains("..")) {
            throw VesselException.invalid("workdir", "'" + w + "' is not an absolute path without ..");
        }
        return java.nio.file.Path.of(w).normalize().toString();
    }

    private static List<String> args(String field, List<String> args) {
        if (args.size() > MAX_ARGS) {
            throw VesselException.invalid(field, "at most " + MAX_ARGS + " arguments");
        }
        long total = 0;
        for (String a : args) {
            if (a == null || a.indexOf('\0') >= 0) {
                throw VesselException.invalid(field, "arguments must be strings without NUL");
            }
            total += a.length();
        }
        if (total > 128 * 1024) {
            throw VesselException.invalid(field, "the arguments are longer than 128 KiB");
        }
        return args;
    }

    private static ContainerSpec withLayer(ContainerSpec s, String mode, IdRange ids) {
        return new ContainerSpec(
                s.image(),
                s.imageId(),
                s.entrypoint(),
                s.command(),
                s.env(),
                s.workdir(),
                s.user(),
                s.hostname(),
                s.readOnly(),
                s.tmpfs(),
                s.mounts(),
                s.memoryBytes(),
                s.cpus(),
                s.pidsLimit(),
                s.restart(),
                s.network(),
                s.tty(),
                s.interactive(),
                s.autoRemove(),
                s.stopTimeoutSeconds(),
                s.stopSignal(),
                mode,
                s.noNewPrivileges(),
                s.userns(),
                ids,
                s.labels());
    }

    private String generatedName(String project) {
        for (int i = 0; i < 10; i++) {
            byte[] b = new byte[3];
            RANDOM.nextBytes(b);
            String n = "c-" + HexFormat.of().formatHex(b);
            if (instances
                    .byName(dev.vessel.core.model.ProjectKey.of(project, n))
                    .isEmpty()) {
                return n;
            }
        }
        throw VesselException.state("cannot find a free container name; give one with --name");
    }

    static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
