package dev.vessel.model;

import java.util.List;

/** A network's settings, as it was made; {@code name} is its name in its {@code project}, as are its peers'. */
public record NetworkView(
        String name, String project, String subnet, String gateway, boolean nat, boolean isolated, List<String> peers) {
    /** The engine's key of the network (its name, then its project unless that is the default one). */
    public String key() {
        return dev.vessel.core.model.ProjectKey.of(project, name);
    }
}
