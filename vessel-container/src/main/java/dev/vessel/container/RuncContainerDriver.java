package dev.vessel.container;

import dev.vessel.core.driver.DriverEvents;
import dev.vessel.core.driver.InstanceDriver;
import dev.vessel.core.driver.InstanceUsage;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.LifecycleEvent;
import dev.vessel.core.model.RuntimeInfo;
import dev.vessel.core.model.StopReason;
import dev.vessel.host.AtomicFiles;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.oci.OciRuntime;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs OCI containers under runc, detached: the daemon can stop and start again while they run. vessel-init is each
 * container's PID 1 and writes how the process ended to a status file; a pidfd tells the driver the moment the init is
 * gone, and the driver then reads that file and the cgroup's OOM count, removes the runtime container, unmounts the
 * writable layer's merged view and reports the exit.
 */
public final class RuncContainerDriver implements InstanceDriver {
    private static final System.Logger LOG = System.getLogger(RuncContainerDriver.class.getName());
    private static final Duration KILL_WAIT = Duration.ofSeconds(15);

    private final ContainerHost host;
    private final OciRuntime runtime;
    private final ContainerLauncher launcher;
    private final DriverEvents events;
    private final Clock clock;
    private final CgroupCounters cgroups = CgroupCounters.host();
    private final Map<String, RunningContainer> running = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> cleaning = new ConcurrentHashMap<>();
    private final Map<String, ImageConfig> configs = new ConcurrentHashMap<>();
    private final Executor exits = Executors.newVirtualThreadPerTaskExecutor();

    public RuncContainerDriver(ContainerHost host, DriverEvents events, Clock clock) {
        this.host = host;
        this.runtime = host.runtime();
        this.launcher = new ContainerLauncher(host);
        this.events = events;
        this.clock = clock;
    }

    @Override
    public InstanceKind kind() {
        return InstanceKind.CONTAINER;
    }

    public ContainerPaths paths(Instance instance) {
        return host.layout().paths(instance.id());
    }

    /** An image's config never changes (its id is the config's digest), so it is read from the store once. */
    ImageConfig imageConfig(ContainerSpec spec) {
        return configs.computeIfAbsent(
                spec.imageId(), id -> host.images().image(id).config());
    }

    @Override
    public RuntimeInfo start(Instance instance, Progress progress) {
        ContainerSpec spec = (ContainerSpec) instance.spec();
        ContainerPaths p = paths(instance);
        String cid = ContainerHostLayout.containerId(instance.id());
        awaitCleanup(instance.id());
        progress.report(0.1, "mounting the writable layer (" + spec.rootfs() + ")");
        host.layer().mount(p, spec.imageId(), spec.rootfs());
        FileChannel keeper = null;
        boolean launched = false;
        try {
            var prepared = ContainerBundle.prepare(
                    instance, imageConfig(spec), p, host.initBinary(), host.volumes(), ContainerConfig.NOFILE_HARD);
            keeper = launcher.prepareStdio(p, spec, prepared.user());
            progress.report(0.4, "starting container " + cid);
            long pid = launcher.launch(instance, p, prepared);
            launched = true;
            var rc = new RunningContainer(
                    instance.id(), cid, pid, p, prepared.process().stopSignal());
            rc.stdinKeeper = keeper;
            rc.plugged = prepared.attaches(spec);
            running.put(instance.id(), rc);
            watch(rc);
            return new RuntimeInfo(
                    cid, pid, null, null, prepared.process().args(), spec.memoryBytes(), clock.instant());
        } catch (RuntimeException e) {
            if (!launched) {
                closeQuietly(keeper);
                host.layer().unmount(p);
                AtomicFiles.deleteTree(p.runDir());
            }
            throw e;
        }
    }

    private void watch(RunningContainer rc) {
        host.watcher().watch(rc.pid).thenRunAsync(() -> onGone(rc), exits);
    }

    /**
     * The init is gone: find out how (before runc delete removes the cgroup and its OOM count), report it once, then
     * clean up. The report does not wait for the cleanup, as containerd reports a task's exit before deleting it; a
     * start or a removal of the same container waits for the cleanup instead.
     */
    private void onGone(RunningContainer rc) {
        if (rc.detached || rc.gone.isDone()) {
            return;
        }
        var status = ExitStatus.read(rc.paths.status());
        long oom = cgroups.oomKills(ContainerHostLayout.cgroupsPath(rc.instanceId));
        closeQuietly(rc.stdinKeeper);
        var cleaned = new CompletableFuture<Void>();
        cleaning.put(rc.instanceId, cleaned);
        running.remove(rc.instanceId, rc);
        var exit = ExitReport.of(rc.intent, status, oom, rc.paths.log());
        try {
            events.on(rc.instanceId, new LifecycleEvent.Exited(exit.reason(), exit.detail(), exit.exitCode()));
            rc.gone.complete(exit.reason());
        } finally {
            cleanUp(rc.instanceId, rc.paths, rc.plugged);
            cleaning.remove(rc.instanceId, cleaned);
            cleaned.complete(null);
        }
    }

    /** Waits until the cleanup after the container's exit (runc delete, unmount of its overlay) has finished. */
    public void awaitCleanup(String instanceId) {
        var f = cleaning.get(instanceId);
        if (f != null) {
            f.join();
        }
    }

    private void cleanUp(String instanceId, ContainerPaths p, boolean plugged) {
        try {
            if (plugged) {
                host.networking().detach(instanceId);
            }
            runtime.delete(ContainerHostLayout.containerId(instanceId), true);
            host.layer().unmount(p);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cleaning up container " + instanceId + " failed: " + e.getMessage());
        }
        AtomicFiles.deleteTree(p.runDir());
    }

    @Override
    public void stop(Instance instance, Duration timeout) {
        RunningContainer rc = runningOrAdopt(instance);
        if (rc == null) {
            return;
        }
        rc.intent = StopReason.STOPPED;
        // Right after a start, runc's init may just have exec'd vessel-init, which has not blocked its signals yet: a
        // namespace's PID 1 drops a signal it neither blocks nor handles, so wait for that moment (microseconds, at
        // most
        // a second) rather than lose the stop signal and kill after the whole timeout.
        long ready = System.nanoTime() + Math.min(timeout.toNanos(), 1_000_000_000L);
        while (!Signals.heeded(rc.pid, rc.stopSignal) && System.nanoTime() < ready) {
            sleepQuietly(2);
        }
        runtime.kill(rc.containerId, rc.stopSignal);
        if (await(rc, timeout)) {
            return;
        }
        rc.intent = StopReason.STOP_TIMEOUT_KILLED;
        runtime.kill(rc.containerId, "KILL");
        awaitOrFail(rc, instance);
    }

    @Override
    public void kill(Instance instance) {
        RunningContainer rc = runningOrAdopt(instance);
        if (rc == null) {
            return;
        }
        rc.intent = StopReason.KILLED;
        runtime.kill(rc.containerId, "KILL");
        awaitOrFail(rc, instance);
    }

    private RunningContainer runningOrAdopt(Instance instance) {
        RunningContainer rc = running.get(instance.id());
        if (rc == null && adopt(instance).isPresent()) {
            rc = running.get(instance.id());
        }
        return rc;
    }

    private void awaitOrFail(RunningContainer rc, Instance instance) {
        if (!await(rc, KILL_WAIT)) {
            throw VesselException.timeout("container '" + instance.name() + "' did not go away within "
                    + KILL_WAIT.toSeconds() + " s of SIGKILL");
        }
    }

    private static boolean await(RunningContainer rc, Duration timeout) {
        try {
            rc.gone.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VesselException.state("interrupted while waiting for the container to stop");
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override
    public Optional<RuntimeInfo> adopt(Instance instance) {
        if (running.containsKey(instance.id())) {
            return Optional.ofNullable(instance.runtime());
        }
        ContainerSpec spec = (ContainerSpec) instance.spec();
        ContainerPaths p = paths(instance);
        String cid = ContainerHostLayout.containerId(instance.id());
        var st = runtime.state(cid);
        // Frozen counts as alive: a snapshot interrupted by a crash leaves it so, and storage recovery thaws it.
        if (st.isPresent()
                && (st.get().status() == OciRuntime.Status.RUNNING || st.get().status() == OciRuntime.Status.PAUSED)) {
            String signal;
            try {
                signal = ProcessSettings.of(imageConfig(spec), spec, instance.name())
                        .stopSignal();
            } catch (RuntimeException e) {
                signal = "TERM";
            }
            var rc = new RunningContainer(instance.id(), cid, st.get().pid(), p, signal);
            rc.plugged = spec.network() != null
                    && !spec.network().equals("none")
                    && !spec.network().equals("host");
            running.put(instance.id(), rc);
            watch(rc);
            RuntimeInfo old = instance.runtime();
            return Optional.of(
                    old == null
                            ? new RuntimeInfo(
                                    cid,
                                    st.get().pid(),
                                    null,
                                    null,
                                    java.util.List.of(),
                                    spec.memoryBytes(),
                                    clock.instant())
                            : new RuntimeInfo(
                                    cid,
                                    st.get().pid(),
                                    null,
                                    null,
                                    old.command(),
                                    old.memoryLimitBytes(),
                                    old.startedAt()));
        }
        // Gone while nobody watched: vessel-init's status file still says how, unless it was killed itself.
        var status = ExitStatus.read(p.status());
        long oom = cgroups.oomKills(ContainerHostLayout.cgroupsPath(instance.id()));
        boolean trace = status.isPresent() || st.isPresent();
        cleanUp(instance.id(), p, true);
        if (trace) {
            var exit = ExitReport.whileDown(status, oom, p.log());
            events.on(instance.id(), new LifecycleEvent.Exited(exit.reason(), exit.detail(), exit.exitCode()));
        }
        return Optional.empty();
    }

    @Override
    public void remove(Instance instance) {
        awaitCleanup(instance.id());
        ContainerPaths p = paths(instance);
        String cid = ContainerHostLayout.containerId(instance.id());
        if (Files.exists(host.runtimeRoot().resolve(cid))) {
            runtime.delete(cid, true); // usually done already by the cleanup after its exit
        }
        host.layer().unmount(p);
        if (WritableLayer.mounted(p.rootfs())) {
            throw VesselException.state(
                    "the writable layer of '" + instance.name() + "' is still mounted at " + p.rootfs());
        }
        AtomicFiles.deleteTree(p.runDir());
        AtomicFiles.deleteTree(p.stateDir());
        // only once its files are gone: a range given again must not find the old owner's files
        host.usernsRanges().release(instance.id());
    }

    @Override
    public void detachAll() {
        for (RunningContainer rc : running.values()) {
            rc.detached = true;
            host.watcher().unwatch(rc.pid);
        }
        running.clear();
    }

    @Override
    public Optional<InstanceUsage> usage(Instance instance) {
        RuntimeInfo rt = instance.runtime();
        RunningContainer rc = running.get(instance.id());
        if (rt == null || rc == null) {
            return Optional.empty();
        }
        String cg = ContainerHostLayout.cgroupsPath(instance.id());
        var base = dev.vessel.oci.Cgroups.host();
        return Optional.of(new InstanceUsage(
                instance.spec().memoryBytes(),
                cgroups.rss(cg).orElse(-1),
                base.memoryUsage(cg).orElse(-1),
                base.memoryLimit(cg).orElse(-1),
                rc.pid));
    }

    /** Whether the driver watches a running process for this instance. */
    public boolean isRunning(String instanceId) {
        return running.containsKey(instanceId);
    }

    /** The daemon-side end of the stdin fifo, for attach; empty when the container is not interactive or not ours. */
    Optional<RunningContainer> runningContainer(String instanceId) {
        return Optional.ofNullable(running.get(instanceId));
    }

    ContainerHost host() {
        return host;
    }

    static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (java.io.IOException e) {
            // nothing left to do
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
