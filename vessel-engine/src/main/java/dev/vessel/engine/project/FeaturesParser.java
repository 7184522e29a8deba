package dev.vessel.engine.project;

import dev.vessel.core.error.VesselException;
import dev.vessel.model.ProjectFeatures;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads the {@code features} of a project request onto the features there are: {@code images} and {@code networks}. */
final class FeaturesParser {
    static final Set<String> KEYS = Set.of("images", "networks");

    private FeaturesParser() {}

    static ProjectFeatures apply(ProjectFeatures base, Map<String, String> changes) {
        if (changes == null || changes.isEmpty()) {
            return base;
        }
        boolean images = base.images();
        boolean networks = base.networks();
        for (var e : changes.entrySet()) {
            String key = e.getKey() == null ? "" : e.getKey();
            switch (key) {
                case "images" -> images = bool("features.images", e.getValue());
                case "networks" -> networks = bool("features.networks", e.getValue());
                default ->
                    throw VesselException.invalid(
                            "features", "unknown feature '" + key + "'; the features are " + new TreeSet<>(KEYS));
            }
        }
        return new ProjectFeatures(images, networks);
    }

    private static boolean bool(String field, String v) {
        return switch (v == null ? "" : v.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw VesselException.invalid(field, "'" + v + "' is not true or false");
        };
    }
}
