package dev.vessel.model;

import java.util.List;

/**
 * A network in a listing: its settings, its bridge, and the instances that have an address in it. {@code name} is its
 * name in its {@code project}.
 *
 * @param peers the names of the networks (of its project) it may talk to
 * @param instances the instances with an address in it, by key ({@code web}, {@code web.dev}): a network of the
 *     default project may carry instances of every project that uses the default project's networks
 */
public record NetworkSummary(
        String name,
        String project,
        String subnet,
        String gateway,
        boolean nat,
        boolean isolated,
        List<String> peers,
        String bridge,
        List<String> instances) {
    /** The engine's key of the network (its name, then its project unless that is the default one). */
    public String key() {
        return dev.vessel.core.model.ProjectKey.of(project, name);
    }
}
