package dev.vessel.image;

import dev.vessel.core.error.VesselException;
import dev.vessel.image.blob.BlobStore;
import dev.vessel.image.layer.ExtractOptions;
import dev.vessel.image.layer.FileTrees;
import dev.vessel.image.layer.LayerUnpacker;
import dev.vessel.image.layer.WhiteoutMode;
import dev.vessel.image.oci.ImageRecord;
import dev.vessel.image.oci.LayerRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Applies an image's layer blobs in order into one directory, honouring whiteouts and opaque dirs. Replays the blobs
 * rather than copying the unpacked layer dirs so that there is one unpacking code path, with all its checks.
 */
final class Flattener {
    private final BlobStore blobs;
    private final ExtractOptions extract;

    Flattener(BlobStore blobs, ExtractOptions extract) {
        this.blobs = blobs;
        this.extract = extract.withWhiteouts(WhiteoutMode.APPLY);
    }

    Path flatten(ImageRecord image, Path target) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw VesselException.exists("directory", abs.toString());
        }
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".flatten-" + UUID.randomUUID());
        boolean done = false;
        try {
            Files.createDirectories(tmp);
            for (LayerRef l : image.layers()) {
                try (InputStream in = blobs.open(l.blob())) {
                    LayerUnpacker.unpack(in, tmp, l.diffId(), extract);
                }
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return abs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flatten image " + image.id().shortId() + " into " + abs, e);
        } finally {
            if (!done) {
                FileTrees.delete(tmp);
            }
        }
    }
}
