package dev.vessel.engine.instance;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.GuestInfo;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.VmSpec;
import dev.vessel.qemu.qga.GuestAgent;
import dev.vessel.qemu.qga.GuestCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The guest agents of running VMs, one caller per VM at a time (QEMU serves the agent's channel to one client; a
 * second would wait behind the first and time out). Each call connects, synchronises and disconnects, so a guest that
 * rebooted or restarted its agent in between is no matter. A guest whose agent does not answer within
 * {@link #SYNC} gets "guest agent not responding"; everything that does not need the agent goes on as before.
 */
public final class GuestAgents {
    public static final Duration SYNC = Duration.ofSeconds(3);
    private static final System.Logger LOG = System.getLogger(GuestAgents.class.getName());

    private final Function<Instance, Path> socketOf;
    private final Function<String, java.util.Optional<dev.vessel.qemu.qmp.QmpClient>> monitors;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /**
     * @param socketOf where QEMU serves a VM's agent channel
     * @param monitors a running VM's QMP by instance id, to ask whether the guest has opened the agent's port
     */
    public GuestAgents(
            Function<Instance, Path> socketOf,
            Function<String, java.util.Optional<dev.vessel.qemu.qmp.QmpClient>> monitors) {
        this.socketOf = socketOf;
        this.monitors = monitors;
    }

    /** Connects, unless QEMU says the guest never opened the agent's port: then "not responding" at once. */
    private GuestAgent connect(Instance i, Duration sync) {
        var qmp = monitors.apply(i.id());
        if (qmp.isPresent() && !GuestAgent.portOpen(qmp.get())) {
            throw GuestAgent.notResponding(i.name(), "the guest has not opened the agent's virtio-serial port");
        }
        return GuestAgent.connect(socketOf.apply(i), i.name(), sync);
    }

    private static void requireRunningVm(Instance i) {
        if (!(i.spec() instanceof VmSpec)) {
            throw VesselException.invalid("instance", "'" + i.name() + "' is a container; guest agents are for VMs");
        }
        if (!(i.state() instanceof InstanceState.Running)) {
            throw VesselException.state(
                    "vm '" + i.name() + "' is " + i.state().label() + "; its guest agent answers only while it runs");
        }
    }

    /** Connects to the VM's agent (waiting for another caller of the same VM first), runs {@code f}, disconnects. */
    public <T> T call(Instance i, Function<GuestAgent, T> f) {
        return call(i, SYNC, f);
    }

    /** @param sync how long the agent may take to answer the first sync */
    public <T> T call(Instance i, Duration sync, Function<GuestAgent, T> f) {
        requireRunningVm(i);
        var lock = locks.computeIfAbsent(i.id(), k -> new ReentrantLock());
        lock.lock();
        try (var agent = connect(i, sync)) {
            return f.apply(agent);
        } finally {
            lock.unlock();
        }
    }

    public GuestInfo info(Instance i, Duration sync) {
        return call(i, sync, GuestCommands::info);
    }

    public GuestCommands.Exited exec(Instance i, List<String> argv, byte[] input, Duration timeout) {
        return call(i, a -> GuestCommands.exec(a, argv, input, timeout));
    }

    /**
     * File systems frozen by the agent until {@link #close}; {@link #frozen} is how many, and {@link #NONE} stands for
     * a guest whose agent did not answer (the snapshot or backup then goes on crash-consistent, as without an agent).
     */
    public static final class Freeze implements AutoCloseable {
        public static final Freeze NONE = new Freeze(null, null, 0, null);

        private final GuestAgent agent;
        private final ReentrantLock lock;
        private final int frozen;
        private final String why;

        private Freeze(GuestAgent agent, ReentrantLock lock, int frozen, String why) {
            this.agent = agent;
            this.lock = lock;
            this.frozen = frozen;
            this.why = why;
        }

        /** The number of file systems frozen; 0 when none were (see {@link #reason}). */
        public int frozen() {
            return frozen;
        }

        /** Why nothing was frozen, for the task log; null when something was. */
        public String reason() {
            return why;
        }

        @Override
        public void close() {
            if (agent == null) {
                return;
            }
            try {
                GuestCommands.thaw(agent);
            } finally {
                agent.close();
                lock.unlock();
            }
        }
    }

    /**
     * Freezes the guest's file systems (fs-freeze: each flushed and held still) if its agent answers. Held until the
     * returned freeze is closed, which thaws them; a VM that is not running, or whose agent does not answer, gets an
     * empty freeze that says why.
     */
    public Freeze tryFreeze(Instance i) {
        if (!(i.spec() instanceof VmSpec) || !(i.state() instanceof InstanceState.Running)) {
            return new Freeze(null, null, 0, "the VM is not running");
        }
        var lock = locks.computeIfAbsent(i.id(), k -> new ReentrantLock());
        lock.lock();
        GuestAgent agent = null;
        try {
            agent = connect(i, SYNC);
            int n = GuestCommands.freeze(agent);
            if (n == 0) {
                GuestCommands.thaw(agent);
                agent.close();
                lock.unlock();
                return new Freeze(null, null, 0, "the guest agent found no file system it could freeze");
            }
            return new Freeze(agent, lock, n, null);
        } catch (VesselException e) {
            LOG.log(System.Logger.Level.INFO, "no fs-freeze for " + i.name() + ": " + e.getMessage());
            if (agent != null) {
                agent.close();
            }
            lock.unlock();
            return new Freeze(null, null, 0, e.getMessage());
        }
    }
}
