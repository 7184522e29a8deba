package dev.vessel.daemon.engine;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.daemon.task.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Function;

/** Waits for a guest's ready marker on its serial console, as Testcontainers waits for a log line. */
public final class ReadyWaiter {
    private final Function<Instance, Path> consoleLog;
    private final InstanceStore store;

    public ReadyWaiter(Function<Instance, Path> consoleLog, InstanceStore store) {
        this.consoleLog = consoleLog;
        this.store = store;
    }

    /** Where the console log ends now; the marker is looked for only after this point. */
    public long offset(Instance i) {
        Path log = consoleLog.apply(i);
        try {
            return log != null && Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void await(Instance i, String marker, long offset, Duration timeout, TaskContext ctx) {
        Path log = consoleLog.apply(i);
        long deadline = System.nanoTime() + timeout.toNanos();
        long pos = offset;
        var partial = new ArrayDeque<String>(1);
        try {
            while (System.nanoTime() < deadline) {
                ctx.checkCancelled();
                long r = LogFollower.find(log, pos, marker, partial);
                if (r >= 0) {
                    return;
                }
                if (r < -1) {
                    pos = -r - 2;
                }
                var now = store.byId(i.id());
                if (now.isEmpty() || !now.get().state().active()) {
                    throw VesselException.state("vm '" + i.name() + "' stopped before it printed '" + marker + "'"
                            + now.map(x -> " (" + x.state() + ")").orElse(""));
                }
                Thread.sleep(10); // a stat every 10 ms is cheap, and start latency counts
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VesselException.state("interrupted while waiting for vm '" + i.name() + "'");
        }
        throw VesselException.timeout("vm '" + i.name() + "' runs but did not print '" + marker + "' within " + timeout.toSeconds() + " s");
    }
}
