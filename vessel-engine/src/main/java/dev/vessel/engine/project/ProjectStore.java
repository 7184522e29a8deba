package dev.vessel.engine.project;

import java.util.List;
import java.util.Optional;

/** Where projects are kept. */
public interface ProjectStore {
    List<ProjectRecord> list();

    Optional<ProjectRecord> get(String name);

    /** Inserts or replaces the project's row. */
    void put(ProjectRecord p);

    void delete(String name);
}
