package dev.vessel.engine.service;

import dev.vessel.core.task.Task;
import dev.vessel.model.ImageImportRequest;
import dev.vessel.model.VmImageView;
import java.util.List;

/**
 * VM images: the tiny guest, imported disks and ISOs. An image lives in a project, keyed {@code NAME.PROJECT} as an
 * instance is; a request in a project without {@code features.images} sees, uses and makes the default project's.
 */
public interface VmImages {
    /** The images a request in {@code project} sees; null: those of every project. */
    List<VmImageView> list(String project);

    VmImageView get(String project, String name);

    Task buildTiny(String project, boolean force);

    Task importDisk(String project, ImageImportRequest request);

    void remove(String project, String name);
}
