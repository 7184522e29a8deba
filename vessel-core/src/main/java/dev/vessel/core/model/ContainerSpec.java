package dev.vessel.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.vessel.core.error.VesselException;
import java.util.List;

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
        boolean noNewPrivileges)
        implements InstanceSpec {
    public static final int MAX_STOP_TIMEOUT = 3600;

    public ContainerSpec {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? List.of() : List.copyOf(env);
        tmpfs = tmpfs == null ? List.of() : List.copyOf(tmpfs);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        restart = restart == null ? RestartPolicy.NO : restart;
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

    @Override
    @JsonIgnore
    public InstanceKind kind() {
        return InstanceKind.CONTAINER;
    }
}
