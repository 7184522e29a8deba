package dev.vessel.model;

/**
 * Which kinds of things a project holds of its own, as Incus's {@code features.*}: where one is off, the project uses
 * the default project's (it sees them, joins them, and what it makes of that kind is made there).
 *
 * @param images VM and OCI images (and their names) of its own; on for a new project, as in Incus
 * @param networks networks of its own; off for a new project, as in Incus
 */
public record ProjectFeatures(boolean images, boolean networks) {
    /** What a project gets at create unless told otherwise. */
    public static final ProjectFeatures INITIAL = new ProjectFeatures(true, false);
    /** A project stored before features existed: it shared the node's images and networks, and still does. */
    public static final ProjectFeatures NONE = new ProjectFeatures(false, false);
    /** The default project holds everything it has; its features cannot change. */
    public static final ProjectFeatures DEFAULT_PROJECT = new ProjectFeatures(true, true);
}
