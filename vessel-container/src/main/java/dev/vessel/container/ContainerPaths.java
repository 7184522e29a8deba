package dev.vessel.container;

import java.nio.file.Path;

/**
 * Where one container's files live. The state dir (bundle, writable layer, log, generated /etc files) lasts as long
 * as the container; the run dir (status file, stdin fifo) only matters while it runs.
 */
public record ContainerPaths(Path stateDir, Path runDir) {
    public Path bundle() {
        return stateDir.resolve("bundle");
    }

    /** The container's root: the overlay mount point, or the flattened copy. */
    public Path rootfs() {
        return stateDir.resolve("rootfs");
    }

    /** The overlay's upper dir: everything the container wrote. */
    public Path upper() {
        return stateDir.resolve("upper");
    }

    public Path work() {
        return stateDir.resolve("work");
    }

    /** Generated hosts, hostname and resolv.conf, bound into the container. */
    public Path etc() {
        return stateDir.resolve("etc");
    }

    /** The process's output (stdout and stderr, or the terminal), and runc's own errors at start. */
    public Path log() {
        return stateDir.resolve("container.log");
    }

    /** Written by vessel-init when the process ends: "exit N" or "signal N". */
    public Path status() {
        return runDir.resolve("status");
    }

    /** The fifo that is the process's stdin when it is interactive. */
    public Path stdin() {
        return runDir.resolve("stdin");
    }
}
