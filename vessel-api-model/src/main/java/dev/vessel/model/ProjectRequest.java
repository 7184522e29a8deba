package dev.vessel.model;

import java.util.Map;

/**
 * Creates a project, or changes one ({@code PATCH}: name ignored, only the keys given change).
 *
 * @param limits {@code instances}, {@code cpus}, {@code memory}, {@code disk} (sizes as {@code 4G}) and
 *     {@code networks}; an empty value removes that limit
 * @param features {@code images} and {@code networks}, {@code true} or {@code false} (see {@link ProjectFeatures}); at
 *     create the ones not given take their initial value, and a change is refused unless the project is empty
 */
public record ProjectRequest(
        String name, String description, Map<String, String> limits, Map<String, String> features) {
    public ProjectRequest(String name, String description, Map<String, String> limits) {
        this(name, description, limits, null);
    }
}
