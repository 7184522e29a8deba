package dev.vessel.engine.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.driver.fake.FakeInstances;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.core.model.StopReason;
import dev.vessel.engine.testing.EngineHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's restart policies and --rm, applied by the container supervisor to what the fake runtime reports. */
class RestartPolicyTest {
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

    private Instance container(String name, String policy, boolean autoRemove) {
        var base = FakeInstances.containerSpec(RestartPolicy.parse(policy));
        var spec = new ContainerSpec(
                base.image(),
                base.imageId(),
                base.entrypoint(),
                base.command(),
                base.env(),
                base.workdir(),
                base.user(),
                base.hostname(),
                base.readOnly(),
                base.tmpfs(),
                base.mounts(),
                base.memoryBytes(),
                base.cpus(),
                base.pidsLimit(),
                base.restart(),
                base.network(),
                base.tty(),
                base.interactive(),
                autoRemove,
                base.stopTimeoutSeconds(),
                base.stopSignal(),
                base.rootfs(),
                false,
                base.userns(),
                base.usernsRange());
        var i = new Instance(
                FakeInstances.newId(),
                name,
                InstanceKind.CONTAINER,
                spec,
                new InstanceState.Created(Instant.now()),
                null,
                Instant.now());
        h.createContainer(i);
        h.succeed(h.ops.start(name, false, Duration.ZERO));
        return i;
    }

    private void exits(Instance c, StopReason reason, Integer code) {
        h.machine.host().end(c.id(), reason, code);
    }

    private void await(String what, Predicate<EngineHarness> condition) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (condition.test(h)) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("timed out waiting until " + what + "; events: "
                + h.seen.stream().map(e -> e.type() + " " + e.name()).toList());
    }

    private boolean running(String name) {
        return h.ops.find(name)
                .map(i -> i.state() instanceof InstanceState.Running)
                .orElse(false);
    }

    private long starts(Instance c) {
        return h.machine.host().starts().stream().filter(c.id()::equals).count();
    }

    @Test
    void onFailureRestartsAFailingProcessUntilItsRetriesAreSpent() throws Exception {
        var c = container("worker", "on-failure:2", false);
        exits(c, StopReason.EXITED, 1);
        await("the first restart", x -> starts(c) == 2 && running("worker"));
        exits(c, StopReason.EXITED, 1);
        await("the second restart", x -> starts(c) == 3 && running("worker"));
        exits(c, StopReason.EXITED, 1);
        await(
                "the supervisor gives up",
                x -> x.seen.stream().anyMatch(e -> e.type().equals("restart-gave-up")));
        Thread.sleep(500);
        assertThat(starts(c)).isEqualTo(3);
        assertThat(h.get("worker").state()).isInstanceOf(InstanceState.Stopped.class);
        assertThat(h.supervisor.restartCount(c.id())).isEqualTo(2);
    }

    @Test
    void onFailureLeavesASuccessfulExitAlone() throws Exception {
        var c = container("job", "on-failure", false);
        exits(c, StopReason.EXITED, 0);
        Thread.sleep(500);
        assertThat(starts(c)).isEqualTo(1);
        assertThat(((InstanceState.Stopped) h.get("job").state()).exitCode()).isZero();
    }

    @Test
    void alwaysRestartsACrashButNotAUserStopUntilTheDaemonStartsAgain() throws Exception {
        var c = container("db", "always", false);
        exits(c, StopReason.CRASHED, null);
        await("the restart after the crash", x -> starts(c) == 2 && running("db"));
        h.succeed(h.ops.stop("db", 5));
        Thread.sleep(500);
        assertThat(h.get("db").state()).isInstanceOf(InstanceState.Stopped.class);
        h = h.restart();
        await("always brings it back at daemon start", x -> running("db"));
        assertThat(starts(c)).isEqualTo(3);
    }

    @Test
    void unlessStoppedKeepsAUserStopAcrossADaemonRestart() throws Exception {
        var c = container("cache", "unless-stopped", false);
        exits(c, StopReason.OOM_KILLED, 137);
        await("the restart after the OOM kill", x -> starts(c) == 2 && running("cache"));
        h.succeed(h.ops.stop("cache", 5));
        h = h.restart();
        Thread.sleep(500);
        assertThat(h.get("cache").state()).isInstanceOf(InstanceState.Stopped.class);
        assertThat(starts(c)).isEqualTo(2);
    }

    @Test
    void aContainerThatEndedWhileTheDaemonWasDownIsRestartedAtOnceByItsPolicy() throws Exception {
        var c = container("svc", "on-failure", false);
        h.close();
        exits(c, StopReason.CRASHED, null);
        h = EngineHarness.on(h.machine);
        await("the restart at daemon start", x -> running("svc"));
        assertThat(starts(c)).isEqualTo(2);
    }

    @Test
    void noRestartPolicyMeansNoRestart() throws Exception {
        var c = container("once", "no", false);
        exits(c, StopReason.CRASHED, null);
        Thread.sleep(500);
        assertThat(starts(c)).isEqualTo(1);
    }

    @Test
    void autoRemoveRemovesTheContainerWhenItsProcessEnds() throws Exception {
        var c = container("tmp", "no", true);
        exits(c, StopReason.EXITED, 0);
        await("the container is removed", x -> x.ops.find("tmp").isEmpty());
        assertThat(h.machine.host().hasLeftovers(c.id())).isFalse();
        assertThat(List.copyOf(h.seen))
                .anySatisfy(e -> assertThat(e.type() + " " + e.name()).isEqualTo("removed tmp"));
    }
}
