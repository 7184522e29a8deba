package dev.vessel.model;

import java.util.Map;

/**
 * Creates a project, or changes one ({@code PATCH}: name ignored, only the keys given change).
 *
 * @param limits {@code instances}, {@code cpus}, {@code memory} and {@code disk} (sizes as {@code 4G}); an empty value
 *     removes that limit
 */
public record ProjectRequest(String name, String description, Map<String, String> limits) {}
