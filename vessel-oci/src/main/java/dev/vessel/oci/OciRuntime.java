package dev.vessel.oci;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An OCI runtime (runc today; crun or others later). Every implementation passes {@code OciRuntimeContract}.
 * Containers are always detached: they keep running when the daemon stops.
 */
public interface OciRuntime {
    /** The runtime binary's name and version, e.g. "runc 1.1.5". */
    String describe();

    /** Creates and starts a detached container from a bundle; its stdio is appended to {@code log}. */
    void run(String id, Path bundle, Path log);

    /**
     * Creates a detached container without starting its process: its namespaces exist (the init's pid is in
     * {@link #state}) and the process waits for {@link #start}. Lets the caller prepare the container's network
     * namespace first. On failure nothing is left.
     */
    void create(String id, Path bundle, Path log);

    /** Starts the process of a container made by {@link #create}. */
    void start(String id);

    /**
     * Starts one more process in a container, detached, as the container's own user with its capabilities (none for a
     * VM's) and settings: a helper that lives and dies with the container's main process, such as a VM's swtpm. Works
     * on a container made by {@link #create} whose main process has not started yet. Its stdio is appended to
     * {@code log}; the runtime writes its host pid to {@code pidFile}, which is returned.
     */
    long execDetached(String id, List<String> args, Path pidFile, Path log);

    /** The runtime's view of a container, or empty if it does not know it. */
    Optional<ContainerState> state(String id);

    /** Sends a signal (e.g. "TERM", "KILL") to the container's init process. */
    void kill(String id, String signal);

    /** Forgets a stopped container; with force, kills a running one first. Missing is fine. */
    void delete(String id, boolean force);

    /**
     * Freezes every process of a running container (the cgroup freezer), e.g. to copy its writable layer while nothing
     * writes to it; {@link #resume} thaws them.
     */
    void pause(String id);

    /** Thaws a container {@link #pause} froze. */
    void resume(String id);

    /** Every container of this runtime root, for adoption and leak checks. */
    List<ContainerState> list();

    /** The runtime's state of a container. */
    record ContainerState(String id, Status status, long pid, String bundle) {}

    enum Status {
        CREATING,
        CREATED,
        RUNNING,
        PAUSED,
        STOPPED;

        static Status parse(String s) {
            return switch (s) {
                case "creating" -> CREATING;
                case "created" -> CREATED;
                case "running" -> RUNNING;
                case "paused" -> PAUSED;
                default -> STOPPED;
            };
        }
    }
}
