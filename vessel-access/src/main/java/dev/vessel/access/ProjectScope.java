package dev.vessel.access;

import java.util.function.Consumer;

/**
 * What a face needs of projects to read a request: whether the request's project exists, and which project holds a
 * kind of thing for it. Instances always live in their own project; networks and images live in the default project
 * for a project whose feature for them is off (Incus's effective project), so a name of theirs, and their ACL path,
 * is read there.
 */
public interface ProjectScope {
    /** Refuses a project that does not exist (a not-found problem). */
    void requireExists(String project);

    /**
     * The project that holds things of ACL kind {@code kind} ({@code vms}, {@code networks}, ...) for a request in
     * {@code project}: the project itself, or {@code default}.
     */
    String holder(String kind, String project);

    /** Every kind in its own project, with {@code check} for existence. */
    static ProjectScope own(Consumer<String> check) {
        return new ProjectScope() {
            @Override
            public void requireExists(String project) {
                check.accept(project);
            }

            @Override
            public String holder(String kind, String project) {
                return project;
            }
        };
    }

    ProjectScope OWN = own(p -> {});
}
