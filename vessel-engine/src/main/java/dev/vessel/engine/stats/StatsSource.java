package dev.vessel.engine.stats;

import dev.vessel.model.InstanceStats;
import dev.vessel.model.NodeStats;
import java.util.List;
import java.util.Optional;

/** The latest sample per running instance and the node's totals, from memory: cheap for any caller. */
public interface StatsSource {
    NodeStats node();

    List<InstanceStats> latest();

    Optional<InstanceStats> latest(String name);
}
