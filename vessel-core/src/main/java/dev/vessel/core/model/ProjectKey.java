package dev.vessel.core.model;

import dev.vessel.core.error.VesselException;

/**
 * Where something of a project lives (an instance, a volume): its project and its name there. The engine keys it by
 * {@link #key()}: the bare name in the {@code default} project, {@code NAME.PROJECT} in any other. Both parts are DNS
 * labels, which hold no dot, so a key is never ambiguous and a name is unique within its project only; an instance's
 * key reads as the DNS name it has on its networks ({@code web.dev.vessel}). Directories and runtime containers are
 * named by the id, so an instance's key is never a path; a volume's file is {@code KEY.FORMAT}.
 */
public record ProjectKey(String project, String name) {
    public static final String DEFAULT_PROJECT = "default";

    public ProjectKey {
        Names.requireValid("project", project);
        Names.requireValid("name", name);
    }

    /** The key of {@code name} in {@code project}; a null project is the default one. */
    public static String of(String project, String name) {
        return new ProjectKey(project == null ? DEFAULT_PROJECT : project, name).key();
    }

    /** Parses a stored or qualified key; invalid input is an invalid-input problem naming {@code field}. */
    public static ProjectKey parse(String field, String key) {
        if (key == null || key.isEmpty()) {
            throw VesselException.invalid(field, "a name is required");
        }
        int dot = key.indexOf('.');
        if (dot < 0) {
            return new ProjectKey(DEFAULT_PROJECT, Names.requireValid(field, key));
        }
        String name = key.substring(0, dot);
        String project = key.substring(dot + 1);
        Names.requireValid(field, name);
        Names.requireValid("project", project);
        if (project.equals(DEFAULT_PROJECT)) {
            throw VesselException.invalid(field, "'" + key + "': an instance of the default project is named " + name);
        }
        return new ProjectKey(project, name);
    }

    public static ProjectKey parse(String key) {
        return parse("name", key);
    }

    /** Checks a key and returns it. */
    public static String requireValid(String field, String key) {
        parse(field, key);
        return key;
    }

    public static boolean isValid(String key) {
        try {
            parse("name", key);
            return true;
        } catch (VesselException e) {
            return false;
        }
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
