package dev.vessel.engine.instance;

import dev.vessel.core.driver.InstanceDriver;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.InstanceKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The driver for each kind of instance. */
public final class Drivers {
    private final Map<InstanceKind, InstanceDriver> byKind = new EnumMap<>(InstanceKind.class);

    public Drivers(List<InstanceDriver> drivers) {
        for (var d : drivers) {
            byKind.put(d.kind(), d);
        }
    }

    /** Lets go of every workload without stopping it (the daemon is exiting). */
    public void detachAll() {
        byKind.values().forEach(InstanceDriver::detachAll);
    }

    public InstanceDriver of(InstanceKind kind) {
        var d = byKind.get(kind);
        if (d == null) {
            throw new VesselException(
                    ProblemType.UNAVAILABLE, "this daemon has no driver for " + kind.label() + " instances");
        }
        return d;
    }
}
