package dev.vessel.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.StopReason;
import dev.vessel.core.task.Task;
import dev.vessel.core.task.TaskState;
import dev.vessel.engine.testing.EngineHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One lifecycle operation per instance at a time, whatever the callers do at once; and cancelling a task. */
class ConcurrencyTest {
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

    private void awaitStarts(int n) throws InterruptedException {
        for (int i = 0; i < 400 && h.machine.host().starts().size() < n; i++) {
            Thread.sleep(5);
        }
        assertThat(h.machine.host().starts()).hasSize(n);
    }

    @Test
    void concurrentStartsStartTheInstanceOnce() throws Exception {
        var vm = h.createVm("web", "a");
        h.machine.host().holdStarts();
        int callers = 8;
        var go = new CountDownLatch(1);
        var accepted = new CopyOnWriteArrayList<Task>();
        var refused = new CopyOnWriteArrayList<VesselException>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < callers; i++) {
                pool.submit(() -> {
                    go.await();
                    try {
                        accepted.add(h.ops.start("web", false, Duration.ZERO));
                    } catch (VesselException e) {
                        refused.add(e);
                    }
                    return null;
                });
            }
            go.countDown();
        }
        assertThat(accepted).hasSize(1);
        assertThat(refused)
                .hasSize(callers - 1)
                .allSatisfy(e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_STATE));
        h.machine.host().releaseStarts(callers);
        h.succeed(accepted.getFirst());
        assertThat(h.machine.host().starts()).containsExactly(vm.id());
    }

    @Test
    void aStopDuringAStartWaitsForTheStartAndThenStops() throws Exception {
        var vm = h.createVm("web", "a");
        h.machine.host().holdStarts();
        var start = h.ops.start("web", false, Duration.ZERO);
        awaitStarts(1);
        var stop = h.ops.stop("web", 5);
        assertThat(h.get("web").state()).as("the start still has the turn").isInstanceOf(InstanceState.Starting.class);
        h.machine.host().releaseStarts(1);
        h.succeed(start);
        h.succeed(stop);
        assertThat(((InstanceState.Stopped) h.get("web").state()).reason()).isEqualTo(StopReason.STOPPED);
        assertThat(h.machine.host().workload(vm.id()))
                .as("nothing runs that the engine does not know of")
                .isEmpty();
        assertThat(h.tasks.log(stop.id(), 0))
                .anySatisfy(l -> assertThat(l.line()).contains("waiting for the start of web"));
    }

    @Test
    void aStartDuringAStopWaitsForTheStopAndThenStarts() throws Exception {
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        h.machine.host().ignoreStops(vm.id());
        var stop = h.ops.stop("web", 1);
        var start = h.ops.start("web", false, Duration.ZERO);
        h.succeed(stop);
        h.succeed(start);
        assertThat(h.get("web").state()).isInstanceOf(InstanceState.Running.class);
        assertThat(h.get("web").runtime().pid())
                .isEqualTo(h.machine.host().workload(vm.id()).orElseThrow().pid);
    }

    @Test
    void aKillDuringAStartCancelsTheStartAndNothingIsLeftRunning() throws Exception {
        var vm = h.createVm("web", "a");
        h.machine.host().holdStarts();
        var start = h.ops.start("web", false, Duration.ZERO);
        awaitStarts(1);
        var kill = h.ops.kill("web");
        h.succeed(kill);
        assertThat(h.await(start).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(h.get("web").state()).isInstanceOf(InstanceState.Stopped.class);
        assertThat(h.machine.host().workload(vm.id())).isEmpty();
    }

    @Test
    void aKillDoesNotWaitForAStopThatWaitsForTheGuest() {
        var vm = h.createVm("web", "a");
        h.succeed(h.ops.start("web", false, Duration.ZERO));
        h.machine.host().ignoreStops(vm.id());
        var stop = h.ops.stop("web", 600);
        h.succeed(h.ops.kill("web"));
        assertThat(((InstanceState.Stopped) h.get("web").state()).reason()).isEqualTo(StopReason.KILLED);
        // the stop that waited for the guest ends too, long before its 600 s, since the process is gone
        assertThat(h.await(stop).state().done()).isTrue();
    }

    @Test
    void cancellingAQueuedStopLeavesTheInstanceAsTheStartLeftIt() throws Exception {
        h.createVm("web", "a");
        h.machine.host().holdStarts();
        var start = h.ops.start("web", false, Duration.ZERO);
        awaitStarts(1);
        var stop = h.ops.stop("web", 5);
        h.tasks.cancel(stop.id());
        assertThat(h.await(stop).state()).isEqualTo(TaskState.CANCELLED);
        h.machine.host().releaseStarts(1);
        h.succeed(start);
        assertThat(h.get("web").state()).isInstanceOf(InstanceState.Running.class);
    }

    @Test
    void aCancelledTaskEndsCancelledAndCannotBeCancelledAgain() throws Exception {
        var started = new CountDownLatch(1);
        var t = h.tasks.submit("count", null, ctx -> {
            started.countDown();
            while (true) {
                ctx.checkCancelled();
                Thread.sleep(10);
            }
        });
        started.await();
        h.tasks.cancel(t.id());
        var end = h.await(t);
        assertThat(end.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(h.tasks.log(t.id(), 0)).anySatisfy(l -> assertThat(l.line()).contains("cancel requested"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.tasks.cancel(t.id()))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("already cancelled");
    }

    /**
     * Many callers, many operations, random order: afterwards the stored state and the host agree (one workload
     * when running, with the stored pid; none when stopped), and no task is left hanging.
     */
    @Test
    void randomConcurrentOperationsLeaveTheStoreAndTheHostInAgreement() throws Exception {
        var vms = List.of(h.createVm("a", "x"), h.createVm("b", "y"));
        var tasks = new CopyOnWriteArrayList<Task>();
        var callers = new ArrayList<java.util.concurrent.Future<Object>>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int caller = 0; caller < 6; caller++) {
                callers.add(pool.submit(() -> {
                    var r = ThreadLocalRandom.current();
                    for (int n = 0; n < 25; n++) {
                        String name = vms.get(r.nextInt(vms.size())).name();
                        try {
                            tasks.add(
                                    switch (r.nextInt(4)) {
                                        case 0 -> h.ops.start(name, false, Duration.ZERO);
                                        case 1 -> h.ops.stop(name, 1);
                                        case 2 -> h.ops.restart(name, 1, false, Duration.ZERO);
                                        default -> h.ops.kill(name);
                                    });
                        } catch (VesselException e) {
                            assertThat(e.type()).as(e.getMessage()).isEqualTo(ProblemType.INVALID_STATE);
                        }
                        Thread.sleep(r.nextInt(3));
                    }
                    return null;
                }));
            }
        }
        for (var c : callers) {
            c.get(); // an assertion that failed in a caller fails here
        }
        var hanging = new ArrayList<Task>();
        for (Task t : tasks) {
            if (!h.await(t).state().done()) {
                hanging.add(t);
            }
        }
        assertThat(hanging).isEmpty();
        for (var vm : vms) {
            var now = h.get(vm.name());
            var workload = h.machine.host().workload(vm.id());
            switch (now.state()) {
                case InstanceState.Running r ->
                    assertThat(workload)
                            .as(vm.name() + " runs")
                            .hasValueSatisfying(w ->
                                    assertThat(w.pid).isEqualTo(now.runtime().pid()));
                case InstanceState.Stopped s ->
                    assertThat(workload)
                            .as(vm.name() + " is stopped (" + s.reason() + ")")
                            .isEmpty();
                default ->
                    throw new AssertionError(vm.name() + " is left "
                            + now.state().label() + "; its tasks:\n" + history(tasks, vm.name()));
            }
        }
    }

    private String history(List<Task> tasks, String name) {
        var out = new StringBuilder();
        tasks.stream()
                .filter(t -> name.equals(t.target()))
                .sorted(java.util.Comparator.comparing(Task::createdAt))
                .forEach(t -> {
                    var end = h.tasks.get(t.id());
                    out.append(end.operation())
                            .append(' ')
                            .append(end.state().label())
                            .append(": ");
                    h.tasks.log(t.id(), 0).forEach(l -> out.append(l.line()).append(" | "));
                    out.append('\n');
                });
        return out.toString();
    }
}
