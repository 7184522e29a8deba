package dev.vessel.engine.instance;

import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.LifecycleEvent;
import dev.vessel.core.model.StopReason;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.oci.OciRuntime;
import java.util.HashSet;

/**
 * At start-up, takes back every workload that ran on while the daemon was down, marks the dead ones stopped with the
 * reason, and removes runtime containers that no stored instance owns (a crash between runc and the store).
 */
public final class Adoption {
    private static final System.Logger LOG = System.getLogger(Adoption.class.getName());

    private final InstanceStore store;
    private final Drivers drivers;
    private final InstanceOps ops;
    private final OciRuntime runtime;

    public Adoption(InstanceStore store, Drivers drivers, InstanceOps ops, OciRuntime runtime) {
        this.store = store;
        this.drivers = drivers;
        this.ops = ops;
        this.runtime = runtime;
    }

    /** Returns how many instances were adopted. */
    public int run() {
        int adopted = 0;
        var known = new HashSet<String>();
        for (Instance i : store.list()) {
            known.add("vessel-" + i.id());
            if (!i.state().active()) {
                continue;
            }
            var rt = drivers.of(i.kind()).adopt(i);
            if (rt.isPresent()) {
                store.update(i.withRuntime(rt.get()));
                if (i.state() instanceof InstanceState.Stopping) {
                    LOG.log(
                            System.Logger.Level.INFO,
                            i.name() + " was stopping when the daemon went down; it still runs");
                }
                ops.on(i.id(), new LifecycleEvent.Adopted());
                adopted++;
            } else {
                ops.on(
                        i.id(),
                        new LifecycleEvent.Exited(
                                StopReason.DIED_WHILE_DAEMON_DOWN,
                                "not running when the daemon started (it was "
                                        + i.state().label() + ")",
                                null));
            }
        }
        for (var c : runtime.list()) {
            if (c.id().startsWith("vessel-") && !known.contains(c.id())) {
                LOG.log(System.Logger.Level.WARNING, "removing runtime container " + c.id() + " that no instance owns");
                runtime.delete(c.id(), true);
            }
        }
        return adopted;
    }
}
