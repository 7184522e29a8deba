package dev.vessel.engine.service;

import dev.vessel.model.HistorySeries;
import dev.vessel.model.InstanceStats;
import dev.vessel.model.NodeStats;
import java.time.Duration;
import java.util.Optional;

/** Live figures of the node and its running instances, and their history. */
public interface Stats {
    /** How often a new sample comes. */
    Duration period();

    NodeStats node();

    /** The latest sample of a running instance; empty when it is not running. */
    Optional<InstanceStats> latest(String name);

    /** The instance's latest sample; invalid-state if it is not running. */
    InstanceStats instance(String name);

    /** @param range hour, day, week or year */
    HistorySeries history(String name, String range);
}
