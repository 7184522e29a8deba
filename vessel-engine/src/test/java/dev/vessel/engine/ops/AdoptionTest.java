package dev.vessel.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.StopReason;
import dev.vessel.core.task.TaskState;
import dev.vessel.engine.testing.EngineHarness;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon restart: what runs is adopted, what died is said so, what nothing owns is removed. */
class AdoptionTest {
    @TempDir
    Path dir;

    EngineHarness h;

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aNewDaemonAdoptsWhatRunsAndCanStillStopIt() {
        h = EngineHarness.start(dir);
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        long pid = h.get("web").runtime().pid();

        h = h.restart();

        assertThat(h.adopted).isEqualTo(1);
        assertThat(h.get("web").state()).isInstanceOf(InstanceState.Running.class);
        assertThat(h.get("web").runtime().pid()).isEqualTo(pid);
        assertThat(h.seen).anySatisfy(e -> assertThat(e.type()).isEqualTo("adopted"));
        h.succeed(h.ops.stop("web", 5));
        assertThat(((InstanceState.Stopped) h.get("web").state()).reason()).isEqualTo(StopReason.STOPPED);
        assertThat(h.machine.host().workload(vm.id())).isEmpty();
    }

    @Test
    void aWorkloadThatDiedWhileTheDaemonWasDownIsMarkedSo() {
        h = EngineHarness.start(dir);
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        h.close();
        h.machine.host().end(vm.id(), StopReason.CRASHED, null); // no daemon watches: nobody reports it

        h = EngineHarness.on(h.machine);

        var s = (InstanceState.Stopped) h.get("web").state();
        assertThat(s.reason()).isEqualTo(StopReason.DIED_WHILE_DAEMON_DOWN);
        assertThat(s.detail()).contains("it was running");
        assertThat(h.adopted).isZero();
    }

    @Test
    void aStopInterruptedByTheCrashIsSettledEitherWay() {
        h = EngineHarness.start(dir);
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        h.machine.host().ignoreStops(vm.id());
        h.ops.stop("web", 60); // the daemon dies while the guest takes its time
        h = h.restart();
        assertThat(h.get("web").state())
                .as("it still runs: adopted as running")
                .isInstanceOf(InstanceState.Running.class);
        h.succeed(h.ops.kill("web"));
    }

    @Test
    void aRuntimeContainerThatNoInstanceOwnsIsRemoved() {
        h = EngineHarness.start(dir);
        h.machine.runtime().leave("vessel-0badc0ffee00");
        h.machine.runtime().leave("someone-elses");
        h = h.restart();
        assertThat(h.machine.runtime().state("vessel-0badc0ffee00")).isEmpty();
        assertThat(h.machine.runtime().state("someone-elses"))
                .as("not ours: left alone")
                .isPresent();
    }

    @Test
    void aTaskThatRanWhenTheDaemonWentDownEndsFailedWithTheReason() {
        h = EngineHarness.start(dir);
        h.createVm("web", "a");
        h.machine.host().holdStarts();
        var t = h.ops.start("web", false, Duration.ZERO);
        h = h.restart();
        var end = h.tasks.get(t.id());
        assertThat(end.state()).isEqualTo(TaskState.FAILED);
        assertThat(end.error().detail()).contains("daemon stopped");
        assertThat(h.get("web").state())
                .as("nothing ran: the start never got going")
                .isInstanceOf(InstanceState.Stopped.class);
    }
}
