package dev.vessel.engine.service;

import dev.vessel.core.image.Image;
import dev.vessel.core.task.Task;
import dev.vessel.model.ImageImportRequest;
import java.util.List;

/** VM images: the tiny guest, imported disks and ISOs. */
public interface VmImages {
    List<Image> list();

    Image get(String name);

    Task buildTiny(boolean force);

    Task importDisk(ImageImportRequest request);

    void remove(String name);
}
