package dev.vessel.image;

import dev.vessel.image.blob.BlobStore;
import dev.vessel.image.catalog.ImageCatalog;
import dev.vessel.image.layer.FileTrees;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageRecord;
import dev.vessel.image.oci.LayerRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Mark and sweep over the catalogue. Runs with every other operation of the store excluded. */
final class GarbageCollector {
    private final StoreLayout layout;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final ImageCatalog catalog;

    GarbageCollector(StoreLayout layout, BlobStore blobs, LayerStore layers, ImageCatalog catalog) {
        this.layout = layout;
        this.blobs = blobs;
        this.layers = layers;
        this.catalog = catalog;
    }

    GcResult collect() {
        Set<Digest> liveBlobs = new HashSet<>();
        Set<Digest> liveLayers = new HashSet<>();
        for (ImageRecord r : catalog.images()) {
            liveBlobs.add(r.manifestDigest());
            liveBlobs.add(r.configDigest());
            for (LayerRef l : r.layers()) {
                liveBlobs.add(l.blob());
                liveLayers.add(l.diffId());
            }
        }
        int blobCount = 0;
        int layerCount = 0;
        long freed = 0;
        for (Digest d : blobs.list()) {
            if (!liveBlobs.contains(d)) {
                freed += blobs.delete(d);
                blobCount++;
            }
        }
        for (Digest d : layers.list()) {
            if (!liveLayers.contains(d)) {
                freed += layers.delete(d);
                layerCount++;
            }
        }
        // No operation runs during a GC, so anything in tmp/ is left from a crash.
        for (Path p : children(layout.tmp())) {
            freed += FileTrees.delete(p);
        }
        return new GcResult(blobCount, layerCount, freed);
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
