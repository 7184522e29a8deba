package dev.vessel.container;

import dev.vessel.core.model.StopReason;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/** What the driver holds for a container while its process lives. */
final class RunningContainer {
    final String instanceId;
    final String containerId;
    final long pid;
    final ContainerPaths paths;
    final String stopSignal;
    /** Set before the driver ends the process, so that the exit is reported with the right reason. */
    volatile StopReason intent;
    /** Set when the daemon lets go of the container: its end is then not ours to report. */
    volatile boolean detached;
    /** The stdin fifo held open read-write, so the process's stdin stays open until an attach client ends it. */
    volatile FileChannel stdinKeeper;

    volatile boolean plugged;
    final CompletableFuture<StopReason> gone = new CompletableFuture<>();

    RunningContainer(String instanceId, String containerId, long pid, ContainerPaths paths, String stopSignal) {
        this.instanceId = instanceId;
        this.containerId = containerId;
        this.pid = pid;
        this.paths = paths;
        this.stopSignal = stopSignal;
    }
}
