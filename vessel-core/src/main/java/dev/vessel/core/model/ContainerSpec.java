package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.vessel.core.error.VesselException;
import java.util.List;
import java.util.Map;

/**
 * An OCI container as the user described it, with the image pinned at create time. The process settings left null or
 * empty come from the image's config when the container starts; the daemon's container creator validates every field
 * before one of these is made.
 *
 * @param image the reference the user gave, for listings ({@code busybox:1.36})
 * @param imageId the image's id ({@code sha256:...}), pinned: re-tagging the reference does not change the container
 * @param entrypoint replaces the image's Entrypoint when not null (and then the image's Cmd is not used either)
 * @param command replaces the image's Cmd when not empty
 * @param env {@code KEY=VALUE} entries over the image's Env, in order
 * @param workdir null for the image's WorkingDir (or /)
 * @param user {@code uid[:gid]} or {@code name[:group]}, resolved in the container's /etc/passwd; null for the image's
 * @param hostname null for the container's name
 * @param memoryBytes the cgroup memory limit, 0 = none
 * @param cpus CPU time as a number of CPUs (a CFS quota), 0 = no limit
 * @param pidsLimit at most this many processes, 0 = no limit
 * @param network null for the default network, {@code none} (loopback only), {@code host}, or a managed network's name
 * @param tty give the process a terminal
 * @param interactive keep the process's stdin open for attach
 * @param autoRemove remove the container when its process ends ({@code run --rm})
 * @param stopSignal null for the image's StopSignal, else SIGTERM
 * @param rootfs how the writable layer is made, decided at create: {@code overlay} (over the shared read-only image
 *     layers) or {@code copy} (a private flattened copy where overlayfs is not allowed)
 * @param noNewPrivileges the process and its children can never gain privileges (setuid binaries, file
 *     capabilities): {@code --security-opt no-new-privileges}. Off by default, as in Docker, since it breaks sudo and
 *     setuid ping inside the container
 * @param userns {@code host} (the host's user namespace, the default) or {@code auto} (a user namespace of its own,
 *     root inside it an unprivileged host id): podman's {@code --userns}
 * @param usernsRange with {@code auto}, the host ids the container's 0..65535 are, given at create and freed at
 *     removal; null with {@code host}
 * @param labels the user's key/value labels, stored verbatim ({@code docker run --label}, compose's project labels)
 */
public record ContainerSpec(
        String image,
        String imageId,
        List<String> entrypoint,
        List<String> command,
        List<String> env,
        String workdir,
        String user,
        String hostname,
        boolean readOnly,
        List<TmpfsMount> tmpfs,
        List<ContainerMount> mounts,
        long memoryBytes,
        double cpus,
        long pidsLimit,
        RestartPolicy restart,
        String network,
        boolean tty,
        boolean interactive,
        boolean autoRemove,
        int stopTimeoutSeconds,
        String stopSignal,
        String rootfs,
        boolean noNewPrivileges,
        String userns,
        IdRange usernsRange,
        Map<String, String> labels)
        implements InstanceSpec {
    public static final int MAX_STOP_TIMEOUT = 3600;
    /** The container shares the host's user namespace (the default, as in Docker). */
    public static final String USERNS_HOST = "host";
    /** The container gets a user namespace of its own over a range of host ids ({@code --userns auto}). */
    public static final String USERNS_AUTO = "auto";

    public ContainerSpec {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? List.of() : List.copyOf(env);
        tmpfs = tmpfs == null ? List.of() : List.copyOf(tmpfs);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        restart = restart == null ? RestartPolicy.NO : restart;
        userns = userns == null ? USERNS_HOST : userns;
        labels = labels == null ? Map.of() : Labels.copy(labels);
        if (!userns.equals(USERNS_HOST) && !userns.equals(USERNS_AUTO)) {
            throw VesselException.invalid("userns", "'" + userns + "' is not host or auto");
        }
        if (userns.equals(USERNS_HOST) && usernsRange != null) {
            throw VesselException.invalid("usernsRange", "a container in the host's user namespace has no id range");
        }
        if (memoryBytes < 0 || cpus < 0 || pidsLimit < 0) {
            throw VesselException.invalid("limits", "memory, cpus and pids limits cannot be negative");
        }
        if (stopTimeoutSeconds < 0 || stopTimeoutSeconds > MAX_STOP_TIMEOUT) {
            throw VesselException.invalid(
                    "stopTimeout", stopTimeoutSeconds + " is outside 0.." + MAX_STOP_TIMEOUT + " seconds");
        }
        if (autoRemove && restart.mode() != RestartPolicy.Mode.NO) {
            throw VesselException.invalid(
                    "restart", "a container removed when it ends (--rm) cannot have a restart policy");
        }
    }

    /** A container without labels (what every container was before they came). */
    public ContainerSpec(
            String image,
            String imageId,
            List<String> entrypoint,
            List<String> command,
            List<String> env,
            String workdir,
            String user,
            String hostname,
            boolean readOnly,
            List<TmpfsMount> tmpfs,
            List<ContainerMount> mounts,
            long memoryBytes,
            double cpus,
            long pidsLimit,
            RestartPolicy restart,
            String network,
            boolean tty,
            boolean interactive,
            boolean autoRemove,
            int stopTimeoutSeconds,
            String stopSignal,
            String rootfs,
            boolean noNewPrivileges,
            String userns,
            IdRange usernsRange) {
        this(
                image,
                imageId,
                entrypoint,
                command,
                env,
                workdir,
                user,
                hostname,
                readOnly,
                tmpfs,
                mounts,
                memoryBytes,
                cpus,
                pidsLimit,
                restart,
                network,
                tty,
                interactive,
                autoRemove,
                stopTimeoutSeconds,
                stopSignal,
                rootfs,
                noNewPrivileges,
                userns,
                usernsRange,
                Map.of());
    }

    /** Whether the container has a user namespace of its own. */
    @JsonIgnore
    public boolean ownUserns() {
        return USERNS_AUTO.equals(userns);
    }

    @Override
    @JsonIgnore
    public InstanceKind kind() {
        return InstanceKind.CONTAINER;
    }
}
