package dev.vessel.engine.vm;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.image.Image;
import dev.vessel.core.model.Boot;
import dev.vessel.core.model.Names;
import dev.vessel.core.store.ImageStore;
import dev.vessel.host.PathGuard;
import dev.vessel.qemu.VmPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What goes into a VM's CD-ROM drives: an ISO image of the VM's project, shared read-only as every image is, or an
 * ISO file on the daemon's host, which the VM's container cannot see where it is and so becomes the VM's own, in
 * {@code <state>/media/}: hard-linked when it is on the same file system and readable by everyone (instant, even for
 * a 6 GiB Windows ISO), copied otherwise. The media dir is never handed to the VM's uid as the rest of its directory
 * is (a link shares its owner with the user's own file); QEMU reads the ISOs there as anyone may.
 */
public final class VmMedia {
    public static final String DIR = "media";

    private final ImageStore images;
    private final dev.vessel.engine.project.ProjectScopes scopes;

    public VmMedia(ImageStore images, dev.vessel.engine.project.ProjectScopes scopes) {
        this.images = images;
        this.scopes = scopes;
    }

    /** A CD-ROM with {@code value} (an ISO image's name, or an absolute path to an ISO file) in it. */
    public Boot.Disk cdrom(String project, String field, String value, VmPaths paths) {
        if (value == null || value.isBlank()) {
            throw VesselException.invalid(field, "name an ISO image or an ISO file");
        }
        if (!value.startsWith("/")) {
            String key = scopes.imageKey(project, Names.requireValid(field, value));
            Image img = images.byName(key)
                    .orElseThrow(() -> VesselException.invalid(
                            field, "'" + value + "' is neither an image (see `vessel image ls`) nor an absolute path"));
            if (img.type() != Image.ImageType.iso) {
                throw VesselException.invalid(field, "image '" + value + "' is a disk image, not an ISO");
            }
            return new Boot.Disk(img.disk(), Boot.DiskFormat.raw, true, Boot.DiskMedia.cdrom);
        }
        Path src = PathGuard.existingFile(field, value);
        if (!ImageCatalog.isIso(src)) {
            throw VesselException.invalid(field, "'" + src + "' has no ISO 9660 signature");
        }
        Path dir = paths.stateDir().resolve(DIR);
        Path target = dir.resolve(src.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            Files.createDirectories(dir);
            for (int n = 1; Files.exists(target); n++) {
                target = dir.resolve(n + "-" + src.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_"));
            }
            boolean linked = false;
            if (Files.getPosixFilePermissions(src).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                try {
                    Files.createLink(target, src);
                    linked = true;
                } catch (IOException | UnsupportedOperationException e) {
                    // another file system: copy
                }
            }
            if (!linked) {
                Path tmp = dir.resolve("." + target.getFileName() + ".partial");
                Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(
                        tmp, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bring " + src + " into the VM's directory", e);
        }
        return new Boot.Disk(target.toString(), Boot.DiskFormat.raw, true, Boot.DiskMedia.cdrom);
    }
}
