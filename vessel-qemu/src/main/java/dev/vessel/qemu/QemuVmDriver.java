package dev.vessel.qemu;

import dev.vessel.core.driver.DriverEvents;
import dev.vessel.core.driver.InstanceDriver;
import dev.vessel.core.driver.InstanceUsage;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.LifecycleEvent;
import dev.vessel.core.model.RuntimeInfo;
import dev.vessel.core.model.StopReason;
import dev.vessel.core.model.VmSpec;
import dev.vessel.host.AtomicFiles;
import dev.vessel.oci.Cgroups;
import dev.vessel.oci.OciBundle;
import dev.vessel.oci.OciRuntime;
import dev.vessel.qemu.qmp.QmpClient;
import dev.vessel.qemu.qmp.QmpEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs each VM as QEMU inside its own OCI container and controls it only through QMP. QEMU's exit is seen as the end
 * of the QMP connection; the reason comes from what the driver itself asked for, or from QEMU's SHUTDOWN event.
 */
public final class QemuVmDriver implements InstanceDriver {
    private static final System.Logger LOG = System.getLogger(QemuVmDriver.class.getName());
    private static final Duration QMP_CONNECT = Duration.ofSeconds(15);
    private static final Duration KILL_WAIT = Duration.ofSeconds(15);
    private static final Duration POWERDOWN_REPEAT = Duration.ofSeconds(5);

    private final VmHostLayout layout;
    private final OciRuntime runtime;
    private final AccelPolicy accel;
    private final DriverEvents events;
    private final Cgroups cgroups;
    private final Clock clock;
    private final VmNetworking networking;
    private final VmUids uids;
    private final Map<String, RunningVm> running = new ConcurrentHashMap<>();
    private final HypervProbe hyperv;
    private final int tpmLogLevel;

    public QemuVmDriver(
            VmHostLayout layout,
            OciRuntime runtime,
            AccelPolicy accel,
            DriverEvents events,
            Cgroups cgroups,
            Clock clock) {
        this(layout, runtime, accel, events, cgroups, clock, VmNetworking.NONE);
    }

    public QemuVmDriver(
            VmHostLayout layout,
            OciRuntime runtime,
            AccelPolicy accel,
            DriverEvents events,
            Cgroups cgroups,
            Clock clock,
            VmNetworking networking) {
        this(
                layout,
                runtime,
                accel,
                events,
                cgroups,
                clock,
                networking,
                HypervProbe.qemu(new dev.vessel.host.ProcessRunner()),
                1);
    }

    /**
     * @param hyperv which Hyper-V enlightenments the host accepts, asked once per accelerator
     * @param tpmLogLevel swtpm's log level (1: errors; 20: every TPM command, for tests and debugging)
     */
    public QemuVmDriver(
            VmHostLayout layout,
            OciRuntime runtime,
            AccelPolicy accel,
            DriverEvents events,
            Cgroups cgroups,
            Clock clock,
            VmNetworking networking,
            HypervProbe hyperv,
            int tpmLogLevel) {
        this.hyperv = hyperv;
        this.tpmLogLevel = tpmLogLevel;
        this.networking = networking;
        this.uids = new VmUids(layout.instancesDir().resolve("../vm-uids.json").normalize());
        this.layout = layout;
        this.runtime = runtime;
        this.accel = accel;
        this.events = events;
        this.cgroups = cgroups;
        this.clock = clock;
    }

    @Override
    public InstanceKind kind() {
        return InstanceKind.VM;
    }

    public VmPaths paths(Instance instance) {
        return layout.paths(instance.id());
    }

    /** The SMBIOS UUID: stable for an instance, different for a clone (which gets a new id). */
    public static UUID smbiosUuid(String instanceId) {
        return UUID.nameUUIDFromBytes(("vessel-vm:" + instanceId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public RuntimeInfo start(Instance instance, Progress progress) {
        VmSpec spec = (VmSpec) instance.spec();
        VmPaths paths = paths(instance);
        String cid = VmHostLayout.containerId(instance.id());
        progress.report(0.05, "choosing the accelerator");
        AccelPolicy.Choice choice = accel.choose(spec.accel());
        progress.report(0.15, "accelerator: " + choice.label() + " (" + choice.reason() + ")");
        List<GuestNic> nics = networking.prepare(instance);
        int uid = uids.of(instance.id());
        boolean vhost = !nics.isEmpty() && GuestNic.vhostNet(choice.kvm());
        HypervProbe.Result hv = null;
        if (spec.platform().os().windows()) {
            progress.report(0.2, "asking QEMU which Hyper-V enlightenments this host takes");
            hv = hyperv.probe(choice.kvm());
        }
        if (spec.platform().firmware().uefi()) {
            Ovmf.of(spec.platform().firmware()).requireInstalled();
        }
        var argv = QemuCommandLine.build(
                instance.name(),
                smbiosUuid(instance.id()),
                spec,
                paths,
                choice.kvm(),
                nics,
                vhost,
                hv == null ? List.of() : hv.accepted());
        var oci = VmContainerSpec.build(
                instance.name(),
                spec,
                paths,
                argv,
                choice.kvm(),
                layout.imagesDir(),
                VmHostLayout.cgroupsPath(instance.id()),
                !nics.isEmpty(),
                vhost,
                uid);
        prepareDirs(paths);
        // QEMU runs as the VM's uid: everything it opens in its directories is the VM's (the bundle stays root's).
        QemuFiles.own(paths.stateDir(), uid, paths.bundle(), paths.stateDir().resolve("media"));
        QemuFiles.own(paths.runDir(), uid);
        var bundle = new OciBundle(paths.bundle());
        VmContainerSpec.prepareRootfs(bundle.rootfs());
        bundle.write(oci);
        // A container left behind by a crash half-way through an earlier start would block the id.
        runtime.delete(cid, true);
        var vm = new RunningVm(instance.id(), cid);
        running.put(instance.id(), vm);
        try {
            progress.report(0.3, "creating container " + cid);
            // create, plug the NICs into the container's fresh namespace, then start: QEMU finds its taps in place.
            runtime.create(cid, bundle.dir(), paths.processLog());
            long pid = runtime.state(cid).map(OciRuntime.ContainerState::pid).orElse(0L);
            vm.pid = pid;
            if (!nics.isEmpty()) {
                progress.report(0.4, "plugging " + nics.size() + " NIC(s) into the container's network namespace");
                networking.plug(instance, nics, pid);
            }
            if (spec.platform().tpm()) {
                progress.report(0.45, "starting swtpm (TPM 2.0) in the VM's container");
                vm.swtpmPid = Swtpm.start(runtime, cid, paths, tpmLogLevel);
            }
            progress.report(0.5, "starting QEMU");
            runtime.start(cid);
            progress.report(0.6, "connecting to QMP");
            attach(vm, paths);
            vm.qmp.cont();
            superviseSwtpm(vm, paths);
            progress.report(0.9, "vCPUs running");
            return new RuntimeInfo(
                    cid,
                    pid,
                    choice.label(),
                    choice.reason(),
                    argv,
                    oci.resources().memoryLimit(),
                    clock.instant(),
                    hv == null ? null : new RuntimeInfo.Hyperv(hv.accepted(), hv.refused()),
                    vm.swtpmPid > 0 ? Swtpm.describe(vm.qmp, vm.swtpmPid) : null);
        } catch (RuntimeException e) {
            vm.detached = true;
            discard(vm, paths);
            throw withQemuLog(e, paths);
        }
    }

    /**
     * A VM whose swtpm goes away while it runs has lost its TPM for good (the guest's keys, BitLocker's): it is killed
     * as failed, with swtpm's last words, rather than left running without one; a restart policy brings it back.
     */
    private void superviseSwtpm(RunningVm vm, VmPaths paths) {
        if (vm.swtpmPid <= 0) {
            return;
        }
        var handle = ProcessHandle.of(vm.swtpmPid);
        if (handle.isEmpty()) {
            onSwtpmGone(vm, paths);
            return;
        }
        handle.get().onExit().thenRun(() -> onSwtpmGone(vm, paths));
    }

    private void onSwtpmGone(RunningVm vm, VmPaths paths) {
        if (vm.gone.isDone() || vm.detached || vm.intent != null) {
            return;
        }
        vm.failure = "its TPM emulator (swtpm) exited: " + Swtpm.lastLine(paths.swtpmLog());
        LOG.log(System.Logger.Level.WARNING, "vm " + vm.instanceId + ": " + vm.failure + "; killing QEMU");
        runtime.kill(vm.containerId, "KILL");
    }

    private void prepareDirs(VmPaths paths) {
        try {
            Files.createDirectories(paths.stateDir());
            Files.createDirectories(paths.runDir());
            Files.deleteIfExists(paths.qmpSocket());
            Files.deleteIfExists(paths.consoleSocket());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + paths.runDir(), e);
        }
    }

    static final int GUEST_STATS_SECONDS = 2;

    private void attach(RunningVm vm, VmPaths paths) {
        vm.qmp = QmpClient.connect(paths.qmpSocket(), QMP_CONNECT, ev -> onQmpEvent(vm, ev));
        // the guest's balloon driver reports its memory every 2 s from now on (what `vessel stats` shows as the guest's
        // view)
        dev.vessel.qemu.stats.VmCounters.enableGuestStats(vm.qmp, GUEST_STATS_SECONDS);
        vm.qmp.closed().whenComplete((d, t) -> Thread.ofVirtual().start(() -> onGone(vm, paths)));
    }

    private void onQmpEvent(RunningVm vm, QmpEvent ev) {
        switch (ev.name()) {
            case "SHUTDOWN" ->
                vm.guestShutdown = ev.data() != null && ev.data().path("guest").asBoolean(false);
            case "STOP" -> events.on(vm.instanceId, new LifecycleEvent.Paused());
            case "RESUME" -> events.on(vm.instanceId, new LifecycleEvent.Resumed());
            case "RESET" -> events.on(vm.instanceId, new LifecycleEvent.Reset());
            default -> {}
        }
    }

    /** QEMU is gone (or the connection broke): make sure the container is gone too, then report the exit once. */
    private void onGone(RunningVm vm, VmPaths paths) {
        if (vm.gone.isDone()) {
            return;
        }
        if (vm.detached) {
            return;
        }
        // QEMU closes QMP before it has finished exiting (it still frees the guest's RAM), and a broken QMP connection
        // with QEMU alive would leave an unmanageable VM: either way, stopped means that QEMU has exited.
        if (vm.pid > 0 && !ProcStatus.awaitExit(vm.pid, Duration.ofSeconds(5))) {
            runtime.kill(vm.containerId, "KILL");
            ProcStatus.awaitExit(vm.pid, Duration.ofSeconds(5));
        }
        var st = runtime.state(vm.containerId);
        if (st.isPresent() && st.get().status() == OciRuntime.Status.RUNNING) {
            waitStopped(vm.containerId, Duration.ofSeconds(5));
        }
        cleanupContainer(vm.containerId, paths);
        networking.unplugQuietly(vm.instanceId, LOG);
        running.remove(vm.instanceId, vm);
        StopReason reason = vm.exitReason();
        // The engine hears of the exit before anyone waiting on stop/kill returns, so they see the stored state.
        events.on(vm.instanceId, new LifecycleEvent.Exited(reason, detail(reason, vm, paths), null));
        vm.gone.complete(reason);
    }

    private static String detail(StopReason reason, RunningVm vm, VmPaths paths) {
        return switch (reason) {
            case STOPPED -> "the guest powered off after the ACPI power button";
            case GUEST_SHUTDOWN -> "the guest powered itself off";
            case STOP_TIMEOUT_KILLED ->
                "the guest did not power off within "
                        + (vm.stopTimeout == null ? "the stop timeout" : vm.stopTimeout.toSeconds() + " s")
                        + " of the ACPI power button"
                        + " (a guest without an ACPI handler ignores it) and was killed";
            case KILLED -> "killed on request";
            case CRASHED ->
                vm.failure != null
                        ? "killed because " + vm.failure
                        : "QEMU exited without a shutdown: " + lastLine(paths.processLog());
            default -> reason.label();
        };
    }

    private static String lastLine(Path log) {
        try {
            var lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
        } catch (IOException e) {
            return "(no QEMU log)";
        }
        return "(QEMU printed nothing)";
    }

    private void waitStopped(String cid, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            var st = runtime.state(cid);
            if (st.isEmpty() || st.get().status() == OciRuntime.Status.STOPPED) {
                return;
            }
            sleep(50);
        }
        runtime.kill(cid, "KILL");
    }

    private void cleanupContainer(String cid, VmPaths paths) {
        runtime.delete(cid, true);
        try {
            Files.deleteIfExists(paths.qmpSocket());
            Files.deleteIfExists(paths.consoleSocket());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove sockets of " + cid + ": " + e.getMessage());
        }
    }

    private void discard(RunningVm vm, VmPaths paths) {
        if (vm.qmp != null) {
            vm.qmp.close();
        }
        cleanupContainer(vm.containerId, paths);
        networking.unplugQuietly(vm.instanceId, LOG);
        running.remove(vm.instanceId, vm);
        vm.gone.complete(StopReason.START_FAILED);
    }

    private static RuntimeException withQemuLog(RuntimeException e, VmPaths paths) {
        String log = lastLine(paths.processLog());
        if (e instanceof VesselException ve) {
            return new VesselException(ve.type(), ve.getMessage() + " (QEMU log: " + log + ")", ve.details(), e);
        }
        return e;
    }

    @Override
    public void stop(Instance instance, Duration timeout) {
        RunningVm vm = runningOrAdopt(instance);
        if (vm == null) {
            return;
        }
        vm.intent = StopReason.STOPPED;
        vm.stopTimeout = timeout;
        long deadline = System.nanoTime() + timeout.toNanos();
        // A guest that is still booting ignores the power button until its ACPI handler runs, so press it again
        // every few seconds; a guest that already heard it is shutting down and does not mind. A guest that ignores
        // ACPI altogether (no acpid, a hung button handler) is asked once through its guest agent, if it has one.
        boolean askedAgent = false;
        while (true) {
            try {
                vm.qmp.systemPowerdown();
            } catch (VesselException e) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "system_powerdown for " + instance.name() + " failed: " + e.getMessage());
            }
            long left = deadline - System.nanoTime();
            if (await(vm, Duration.ofNanos(Math.max(0, Math.min(left, POWERDOWN_REPEAT.toNanos()))))) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
            if (!askedAgent) {
                askedAgent = true;
                if (vm.qmp != null && !dev.vessel.qemu.qga.GuestAgent.portOpen(vm.qmp)) {
                    continue; // no agent in this guest
                }
                Path agent = paths(instance).agentSocket();
                Thread.ofVirtual().start(() -> dev.vessel.qemu.qga.GuestAgent.askPowerOff(agent, instance.name()));
            }
        }
        vm.intent = StopReason.STOP_TIMEOUT_KILLED;
        try {
            vm.qmp.quit();
        } catch (VesselException e) {
            LOG.log(System.Logger.Level.INFO, "quit for " + instance.name() + " failed: " + e.getMessage());
        }
        if (!await(vm, Duration.ofSeconds(5))) {
            runtime.kill(vm.containerId, "KILL");
            awaitOrFail(vm, instance);
        }
    }

    @Override
    public void kill(Instance instance) {
        RunningVm vm = runningOrAdopt(instance);
        if (vm == null) {
            return;
        }
        vm.intent = StopReason.KILLED;
        runtime.kill(vm.containerId, "KILL");
        awaitOrFail(vm, instance);
    }

    private RunningVm runningOrAdopt(Instance instance) {
        RunningVm vm = running.get(instance.id());
        if (vm == null && adopt(instance).isPresent()) {
            vm = running.get(instance.id());
        }
        return vm;
    }

    private void awaitOrFail(RunningVm vm, Instance instance) {
        if (!await(vm, KILL_WAIT)) {
            throw VesselException.timeout(
                    "vm '" + instance.name() + "' did not go away within " + KILL_WAIT.toSeconds() + " s of SIGKILL");
        }
    }

    private static boolean await(RunningVm vm, Duration timeout) {
        try {
            vm.gone.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VesselException.state("interrupted while waiting for the vm to stop");
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override
    public Optional<RuntimeInfo> adopt(Instance instance) {
        VmPaths paths = paths(instance);
        String cid = VmHostLayout.containerId(instance.id());
        var existing = running.get(instance.id());
        if (existing != null) {
            return Optional.ofNullable(instance.runtime());
        }
        var st = runtime.state(cid);
        if (st.isEmpty() || st.get().status() != OciRuntime.Status.RUNNING) {
            cleanupContainer(cid, paths);
            networking.unplugQuietly(instance.id(), LOG);
            return Optional.empty();
        }
        var vm = new RunningVm(instance.id(), cid);
        vm.pid = st.get().pid();
        if (((VmSpec) instance.spec()).platform().tpm()) {
            vm.swtpmPid = Swtpm.pid(paths);
        }
        running.put(instance.id(), vm);
        try {
            attach(vm, paths);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "vm " + instance.name() + " runs but its QMP does not answer; killing it: " + e.getMessage());
            vm.detached = true;
            runtime.kill(cid, "KILL");
            waitStopped(cid, Duration.ofSeconds(5));
            discard(vm, paths);
            return Optional.empty();
        }
        superviseSwtpm(vm, paths);
        RuntimeInfo old = instance.runtime();
        return Optional.of(
                old == null
                        ? new RuntimeInfo(cid, st.get().pid(), null, "adopted", java.util.List.of(), 0, clock.instant())
                        : new RuntimeInfo(
                                cid,
                                st.get().pid(),
                                old.accel(),
                                old.accelReason(),
                                old.command(),
                                old.memoryLimitBytes(),
                                old.startedAt(),
                                old.hyperv(),
                                old.tpm()));
    }

    @Override
    public void detachAll() {
        for (RunningVm vm : running.values()) {
            vm.detached = true;
            if (vm.qmp != null) {
                vm.qmp.close();
            }
        }
        running.clear();
    }

    /** Whether QEMU runs for this instance right now (as the driver sees it). */
    public boolean isRunning(String instanceId) {
        return running.containsKey(instanceId);
    }

    @Override
    public void remove(Instance instance) {
        VmPaths paths = paths(instance);
        runtime.delete(VmHostLayout.containerId(instance.id()), true);
        networking.unplug(instance.id());
        AtomicFiles.deleteTree(paths.runDir());
        AtomicFiles.deleteTree(paths.stateDir());
        uids.release(instance.id());
    }

    @Override
    public Optional<InstanceUsage> usage(Instance instance) {
        RuntimeInfo rt = instance.runtime();
        if (rt == null || !running.containsKey(instance.id())) {
            return Optional.empty();
        }
        VmSpec spec = (VmSpec) instance.spec();
        String cg = VmHostLayout.cgroupsPath(instance.id());
        return Optional.of(new InstanceUsage(
                spec.memoryBytes(),
                ProcStatus.rssBytes(rt.pid()),
                cgroups.memoryUsage(cg).orElse(-1),
                cgroups.memoryLimit(cg).orElse(-1),
                rt.pid()));
    }

    /** The QMP client of a running VM, for the features that talk to QEMU directly (balloon, snapshots, block jobs). */
    public Optional<QmpClient> qmp(String instanceId) {
        var vm = running.get(instanceId);
        return vm == null ? Optional.empty() : Optional.ofNullable(vm.qmp);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
