package dev.vessel.engine.instance;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.VmSpec;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.task.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * Waits until a guest is ready, as Testcontainers waits for a log line or a port: for its ready marker on the serial
 * console when it has one, else for a port given with the start, else for the DHCP lease of its first managed NIC.
 * A VM with none of these gives no sign, and a start that waits for one is refused before it starts.
 */
public final class ReadyWaiter {
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration SLOW_POLL = Duration.ofMillis(200);

    private final Function<Instance, Path> consoleLog;
    private final InstanceStore store;
    private volatile GuestAddresses addresses = GuestAddresses.NONE;

    public ReadyWaiter(Function<Instance, Path> consoleLog, InstanceStore store) {
        this.consoleLog = consoleLog;
        this.store = store;
    }

    /** The network side, once it exists (it is made after the engine). */
    public void addresses(GuestAddresses a) {
        this.addresses = a;
    }

    /**
     * The sign to wait for; {@code port} is a TCP port asked for with the start, or null.
     *
     * @throws VesselException invalid when the VM gives no sign at all
     */
    public ReadySign sign(Instance i, Integer port) {
        VmSpec spec = (VmSpec) i.spec();
        var first = addresses.of(i).stream().filter(a -> a.ip() != null).findFirst();
        if (port != null) {
            if (port < 1 || port > 65535) {
                throw VesselException.invalid("waitPort", port + " is not a TCP port");
            }
            return new ReadySign.TcpPort(
                    first.orElseThrow(() -> VesselException.invalid(
                                    "waitPort",
                                    "vm '" + i.name() + "' has no address on a managed network to reach port " + port
                                            + " at"))
                            .ip(),
                    port);
        }
        if (spec.readyMarker() != null) {
            return new ReadySign.Marker(spec.readyMarker());
        }
        return first.<ReadySign>map(a -> new ReadySign.DhcpLease(a.nic(), a.network(), a.ip()))
                .orElseThrow(() -> VesselException.invalid(
                        "wait",
                        "vm '" + i.name() + "' gives no sign of being ready: it has no"
                                + " ready marker and no NIC on a managed network; start it without --wait, or give it a ready marker"
                                + " (vm create --ready-marker) or a NIC and --wait-port"));
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

    public void await(Instance i, ReadySign sign, long offset, Duration timeout, TaskContext ctx) {
        long deadline = System.nanoTime() + timeout.toNanos();
        var progress = new Object() {
            long pos = offset;
            final ArrayDeque<String> partial = new ArrayDeque<>(1);
        };
        try {
            while (System.nanoTime() < deadline) {
                ctx.checkCancelled();
                var now = store.byId(i.id());
                if (now.isEmpty() || !now.get().state().active()) {
                    throw VesselException.state("vm '" + i.name() + "' stopped before " + sign.describe()
                            + now.map(x -> " (" + x.state().describe() + ")").orElse(""));
                }
                Instance current = now.get();
                boolean ready = switch (sign) {
                    case ReadySign.Marker m -> {
                        long r = LogFollower.find(consoleLog.apply(i), progress.pos, m.text(), progress.partial);
                        if (r < -1) {
                            progress.pos = -r - 2;
                        }
                        yield r >= 0;
                    }
                    case ReadySign.DhcpLease l ->
                        addresses.of(current).stream().anyMatch(a -> a.nic() == l.nic() && a.leased());
                    case ReadySign.TcpPort p -> answers(p, deadline);
                };
                if (ready) {
                    return;
                }
                // a stat every 10 ms is cheap and start latency counts; the lease file and ports less often
                Thread.sleep((sign instanceof ReadySign.Marker ? POLL : SLOW_POLL).toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VesselException.state("interrupted while waiting for vm '" + i.name() + "'");
        }
        throw VesselException.timeout("vm '" + i.name() + "' runs but did not show " + sign.describe() + " within "
                + timeout.toSeconds() + " s");
    }

    private static boolean answers(ReadySign.TcpPort p, long deadline) {
        long left = Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000));
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress(p.ip(), p.port()), (int) left);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
