package dev.vessel.core.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.LifecycleEvent;
import dev.vessel.core.model.RuntimeInfo;
import dev.vessel.core.model.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InstanceDriver} must do, whatever it runs. A driver's test subclasses this and supplies a driver
 * over real host parts, an instance it can run, and a way to see the host.
 */
public abstract class InstanceDriverContract {
    /** Every event the drivers under test reported, in order. */
    protected final List<Reported> reported = new CopyOnWriteArrayList<>();

    public record Reported(String instanceId, LifecycleEvent event) {}

    protected final DriverEvents events = (id, e) -> reported.add(new Reported(id, e));

    /** A driver that reports to {@link #events}. Called again to simulate a daemon restart: a fresh driver, same host. */
    protected abstract InstanceDriver newDriver();

    /** A created instance this driver can run, with a unique name. */
    protected abstract Instance newInstance();

    protected abstract boolean processAlive(long pid);

    /** Fails if anything of the instance remains on the host after {@link InstanceDriver#remove}. */
    protected abstract void assertNothingLeft(Instance instance) throws Exception;

    private InstanceDriver driver;
    private final List<Instance> made = new CopyOnWriteArrayList<>();

    protected InstanceDriver driver() {
        if (driver == null) {
            driver = newDriver();
        }
        return driver;
    }

    private Instance running(Instance i, RuntimeInfo rt) {
        return i.withRuntime(rt).withState(new InstanceState.Running(Instant.now()));
    }

    private Instance created() {
        var i = newInstance();
        made.add(i);
        return i;
    }

    @AfterEach
    void cleanUp() {
        for (Instance i : made) {
            try {
                driver().kill(i);
            } catch (RuntimeException e) {
                // already gone
            }
            driver().remove(i);
        }
    }

    protected StopReason awaitExit(String id) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            for (Reported r : reported) {
                if (r.instanceId().equals(id) && r.event() instanceof LifecycleEvent.Exited e) {
                    return e.reason();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no exit reported for " + id + "; reported: " + reported);
    }

    @Test
    void startRunsAProcessThatTheDriverMeasures() throws Exception {
        Instance i = created();
        RuntimeInfo rt = driver().start(i, InstanceDriver.Progress.NONE);
        assertThat(rt.pid()).isPositive();
        assertThat(processAlive(rt.pid())).isTrue();
        assertThat(rt.containerId()).isNotBlank();
        var usage = driver().usage(running(i, rt)).orElseThrow();
        assertThat(usage.processRssBytes()).isPositive();
        assertThat(usage.cgroupLimitBytes()).isPositive();
    }

    /** Right after start the workload may not yet listen for a graceful stop (a guest still booting); stop must cope. */
    @Test
    void stopEndsTheWorkloadGracefullyAndReportsItOnce() throws Exception {
        Instance i = created();
        RuntimeInfo rt = driver().start(i, InstanceDriver.Progress.NONE);
        driver().stop(running(i, rt), Duration.ofSeconds(60));
        assertThat(awaitExit(i.id())).isEqualTo(StopReason.STOPPED);
        assertThat(reported.stream()
                        .filter(r -> r.event() instanceof LifecycleEvent.Exited)
                        .count())
                .isEqualTo(1);
        assertThat(driver().usage(running(i, rt))).isEmpty();
    }

    @Test
    void killEndsTheWorkloadAtOnce() throws Exception {
        Instance i = created();
        RuntimeInfo rt = driver().start(i, InstanceDriver.Progress.NONE);
        driver().kill(running(i, rt));
        assertThat(awaitExit(i.id())).isEqualTo(StopReason.KILLED);
        for (int n = 0; n < 50 && processAlive(rt.pid()); n++) {
            Thread.sleep(100);
        }
        assertThat(processAlive(rt.pid())).isFalse();
    }

    @Test
    void aFreshDriverAdoptsARunningWorkloadAndCanStillStopIt() throws Exception {
        Instance i = created();
        RuntimeInfo rt = driver().start(i, InstanceDriver.Progress.NONE);
        driver().detachAll();
        InstanceDriver restarted = newDriver();
        var adopted = restarted.adopt(running(i, rt));
        assertThat(adopted).isPresent();
        assertThat(adopted.get().pid()).isEqualTo(rt.pid());
        driver = restarted;
        restarted.stop(running(i, adopted.get()), Duration.ofSeconds(60));
        assertThat(awaitExit(i.id())).isEqualTo(StopReason.STOPPED);
    }

    @Test
    void adoptionOfAWorkloadThatDiedFindsNothing() throws Exception {
        Instance i = created();
        RuntimeInfo rt = driver().start(i, InstanceDriver.Progress.NONE);
        driver().kill(running(i, rt));
        awaitExit(i.id());
        assertThat(newDriver().adopt(running(i, rt))).isEmpty();
    }

    @Test
    void removeLeavesNothingOnTheHost() throws Exception {
        Instance i = created();
        RuntimeInfo rt = driver().start(i, InstanceDriver.Progress.NONE);
        driver().kill(running(i, rt));
        awaitExit(i.id());
        driver().remove(i);
        assertNothingLeft(i);
    }
}
