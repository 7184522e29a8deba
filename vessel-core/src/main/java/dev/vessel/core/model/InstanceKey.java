package dev.vessel.core.model;

import dev.vessel.core.error.VesselException;

/**
 * Where an instance lives: its project and its name there. The engine keys an instance by {@link #key()}: the bare
 * name in the {@code default} project, {@code NAME.PROJECT} in any other. Both parts are DNS labels, which hold no
 * dot, so a key is never ambiguous and a name is unique within its project only; the key reads as the DNS name the
 * instance has on its networks ({@code web.dev.vessel}). Directories and runtime containers are named by the id, so
 * a key is never a path.
 */
public record InstanceKey(String project, String name) {
    public static final String DEFAULT_PROJECT = "default";

    public InstanceKey {
        Names.requireValid("project", project);
        Names.requireValid("name", name);
    }

    /** The key of {@code name} in {@code project}; a null project is the default one. */
    public static String of(String project, String name) {
        return new InstanceKey(project == null ? DEFAULT_PROJECT : project, name).key();
    }

    /** Parses a stored or qualified key; invalid input is an invalid-input problem naming {@code field}. */
    public static InstanceKey parse(String field, String key) {
        if (key == null || key.isEmpty()) {
            throw VesselException.invalid(field, "a name is required");
        }
        int dot = key.indexOf('.');
        if (dot < 0) {
            return new InstanceKey(DEFAULT_PROJECT, Names.requireValid(field, key));
        }
        String name = key.substring(0, dot);
        String project = key.substring(dot + 1);
        Names.requireValid(field, name);
        Names.requireValid("project", project);
        if (project.equals(DEFAULT_PROJECT)) {
            throw VesselException.invalid(field, "'" + key + "': an instance of the default project is named " + name);
        }
        return new InstanceKey(project, name);
    }

    public static InstanceKey parse(String key) {
        return parse("name", key);
    }

    /** The project part of a key. */
    public static String projectOf(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? DEFAULT_PROJECT : key.substring(dot + 1);
    }

    /** The name part of a key: what a user of its project calls it, and its guest's host name. */
    public static String nameOf(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    public String key() {
        return project.equals(DEFAULT_PROJECT) ? name : name + "." + project;
    }

    public boolean inDefault() {
        return project.equals(DEFAULT_PROJECT);
    }

    @Override
    public String toString() {
        return key();
    }
}
