package dev.vessel.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.StopReason;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.task.TaskState;
import dev.vessel.engine.testing.EngineHarness;
import dev.vessel.model.Event;
import dev.vessel.model.NicRequest;
import dev.vessel.model.VmCreateRequest;
import dev.vessel.qemu.FakeImageTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Create, start, stop, kill, restart and remove through the engine's operations, on fake drivers. */
class InstanceLifecycleTest {
    @TempDir
    Path dir;

    EngineHarness h;

    @BeforeEach
    void start() {
        h = EngineHarness.start(dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private List<String> eventsFor(String name) {
        return h.seen.stream()
                .filter(e -> name.equals(e.name()))
                .map(Event::type)
                .filter(t -> !t.startsWith("task-"))
                .toList();
    }

    @Test
    void createStoresAVmWithItsOwnDisksAndItsNicsReserved() {
        var vm = h.createVm("web", "root fs", "data");
        assertThat(vm.state()).isInstanceOf(InstanceState.Created.class);
        var disks = h.disks(vm);
        assertThat(disks)
                .hasSize(2)
                .allSatisfy(
                        d -> assertThat(d).startsWith(dir.resolve("instances").resolve(vm.id())));
        assertThat(FakeImageTool.data(disks.get(0))).isEqualTo("root fs");
        var nics = ((VmSpec) vm.spec()).nics();
        assertThat(nics).singleElement().satisfies(n -> assertThat(n.network()).isEqualTo("default"));
        assertThat(h.machine.networks().held()).containsKey(vm.id());
        assertThat(eventsFor("web")).containsExactly("created");
    }

    @Test
    void aCreateThatFailsLeavesNoInstanceNoFilesAndNoAddresses() throws Exception {
        Path kernel = Files.writeString(dir.resolve("vmlinuz"), "k");
        Path disk = dir.resolve("d.qcow2");
        FakeImageTool.write(disk, "qcow2", 1 << 20, "x");
        var request = new VmCreateRequest(
                "bad",
                null,
                "256M",
                1,
                "tcg",
                5,
                kernel.toString(),
                null,
                null,
                List.of(new VmCreateRequest.DiskRequest(disk.toString(), null)),
                null,
                null,
                List.of(new NicRequest("nowhere", null)),
                null,
                null);
        assertThatThrownBy(() -> h.vmCreator.create(null, request))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("nowhere");
        assertThat(h.instances.list()).isEmpty();
        try (var left = Files.list(dir.resolve("instances"))) {
            assertThat(left).isEmpty();
        }
        assertThat(h.machine.networks().held()).isEmpty();
    }

    @Test
    void aDuplicateNameIsRefusedAndTheFirstIsKept() {
        var first = h.createVm("web", "a");
        assertThatThrownBy(() -> h.createVm("web", "b"))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.ALREADY_EXISTS));
        assertThat(h.get("web").id()).isEqualTo(first.id());
        assertThat(FakeImageTool.data(h.disks(first).getFirst())).isEqualTo("a");
    }

    @Test
    void startRunsTheWorkloadAndStoresWhatRuns() {
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        var running = h.get("web");
        assertThat(running.state()).isInstanceOf(InstanceState.Running.class);
        assertThat(running.runtime().pid())
                .isEqualTo(h.machine.host().workload(vm.id()).orElseThrow().pid);
        assertThat(eventsFor("web")).containsExactly("created", "starting", "started");
    }

    @Test
    void aStartOfWhatRunsIsRefusedAtOnce() {
        h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        assertThatThrownBy(() -> h.ops.start("web", false, Duration.ZERO))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("is running: cannot start");
        assertThat(h.machine.host().starts()).hasSize(1);
    }

    @Test
    void stopEndsTheWorkloadGracefully() {
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        h.succeed(h.ops.stop("web", 5));
        var s = (InstanceState.Stopped) h.get("web").state();
        assertThat(s.reason()).isEqualTo(StopReason.STOPPED);
        assertThat(h.get("web").runtime()).isNull();
        assertThat(h.machine.host().workload(vm.id())).isEmpty();
    }

    @Test
    void aStopThatTimesOutKillsAndSaysSo() {
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        h.machine.host().ignoreStops(vm.id());
        var t = h.succeed(h.ops.stop("web", 1));
        assertThat(((InstanceState.Stopped) h.get("web").state()).reason()).isEqualTo(StopReason.STOP_TIMEOUT_KILLED);
        assertThat(h.tasks.log(t.id(), 0))
                .anySatisfy(l -> assertThat(l.line()).contains("killed after the 1 s stop timeout"));
    }

    @Test
    void aStopTimeoutOutsideTheLimitsIsRefusedWithNothingChanged() {
        h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        assertThatThrownBy(() -> h.ops.stop("web", -1))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("timeout");
        assertThat(h.get("web").state()).isInstanceOf(InstanceState.Running.class);
    }

    @Test
    void killEndsItAtOnce() {
        h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        h.succeed(h.ops.kill("web"));
        assertThat(((InstanceState.Stopped) h.get("web").state()).reason()).isEqualTo(StopReason.KILLED);
        assertThatThrownBy(() -> h.ops.kill("web"))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("nothing to kill");
    }

    @Test
    void aFailedStartLeavesItStoppedWithTheDriversWords() {
        var vm = h.createVm("web", "a");
        h.machine.host().failNextStart(vm.id(), VesselException.host("qemu: could not open disk", null));
        var end = h.await(h.ops.start("web", false, Duration.ZERO));
        assertThat(end.state()).isEqualTo(TaskState.FAILED);
        assertThat(end.error().detail()).contains("could not open disk");
        var s = (InstanceState.Stopped) h.get("web").state();
        assertThat(s.reason()).isEqualTo(StopReason.START_FAILED);
        assertThat(s.detail()).contains("could not open disk");
        assertThat(h.machine.host().workload(vm.id())).isEmpty();
        h.succeed(h.ops.start("web", false, Duration.ZERO));
    }

    @Test
    void aWorkloadThatEndsOnItsOwnIsStoppedWithTheReason() throws Exception {
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        h.machine.host().end(vm.id(), StopReason.CRASHED, null);
        assertThat(((InstanceState.Stopped) h.get("web").state()).reason()).isEqualTo(StopReason.CRASHED);
        assertThat(eventsFor("web")).endsWith("crashed");
    }

    @Test
    void restartRunsANewWorkload() {
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        long before = h.get("web").runtime().pid();
        h.succeed(h.ops.restart("web", 5, false, Duration.ZERO));
        assertThat(h.get("web").state()).isInstanceOf(InstanceState.Running.class);
        assertThat(h.get("web").runtime().pid())
                .isNotEqualTo(before)
                .isEqualTo(h.machine.host().workload(vm.id()).orElseThrow().pid);
    }

    @Test
    void removeRefusesWhatRunsUnlessForcedAndThenLeavesNothing() {
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        assertThatThrownBy(() -> h.ops.remove("web", false))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("--force");
        assertThat(h.get("web").state()).isInstanceOf(InstanceState.Running.class);
        h.ops.remove("web", true);
        assertThat(h.ops.find("web")).isEmpty();
        assertThat(h.machine.host().workload(vm.id())).isEmpty();
        assertThat(h.machine.host().hasLeftovers(vm.id())).isFalse();
        assertThat(eventsFor("web")).endsWith("removed");
    }
}
