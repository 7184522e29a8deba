package dev.vessel.storage;

import dev.vessel.core.driver.InstanceDriver;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One place volumes live. The directory pool is the default; LVM-thin, ZFS and Ceph RBD pools implement the same
 * interface later. Every driver passes {@code StoragePoolContract}.
 *
 * <p>Rules every driver keeps: a failed or interrupted operation leaves the previous volume as it was (new data goes to
 * a temporary name that is renamed into place, or the backend's own transaction); {@link #recover()} removes what an
 * interrupted operation left behind; volume names are DNS labels; sizes are checked with {@link VolumeSizes}.
 */
public interface StoragePool {
    String name();

    /** The driver's name: "dir", later "lvmthin", "zfs", "rbd". */
    String driver();

    PoolInfo info();

    List<Volume> list();

    Optional<Volume> find(String volume);

    /** Creates an empty volume; already-exists if the name is taken in this pool. */
    Volume create(VolumeRequest request);

    /**
     * Changes the virtual size. Growing is always allowed; shrinking loses the data past the new end, so it is refused
     * unless {@code allowShrink}.
     */
    Volume resize(String volume, long newSize, boolean allowShrink);

    /**
     * Creates a volume from an image file (converted by qemu-img). The caller has inspected {@code source} with
     * {@link ImageInspector}; the pool never reads past it.
     */
    Volume importImage(
            String volume, Path source, SourceFormat from, VolumeFormat to, InstanceDriver.Progress progress);

    /** Removes a volume. in-use if it is still exposed to a VM. */
    void delete(String volume);

    /**
     * Makes the volume openable by a VM whose container sees only {@code vmDir} (read-write) and returns the path QEMU
     * opens. The directory pool hard-links the file there, so nothing new is mounted into the container and a running
     * VM can take the volume at once (hot-plug). Idempotent.
     */
    Path expose(String volume, Path vmDir);

    /** Where backup archives may be kept in this pool, if it can keep files. */
    Optional<Path> backupsDir();

    /** Removes what interrupted operations left behind; returns a line per thing removed. */
    List<String> recover();
}
