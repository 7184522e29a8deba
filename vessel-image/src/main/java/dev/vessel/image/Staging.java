package dev.vessel.image;

import dev.vessel.image.blob.BlobStore;
import dev.vessel.image.layer.ExtractOptions;
import dev.vessel.image.layer.FileTrees;
import dev.vessel.image.layer.LayerUnpacker;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageRecord;
import dev.vessel.image.oci.LayerRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The private workspace of one import, load or pull, under {@code ROOT/tmp/<uuid>/}. Blobs are verified and layers
 * unpacked here; only {@link #commit()} moves them into the store, so an operation that fails part-way (bad digest,
 * hostile layer, network error) leaves the store exactly as it was. Thread-safe: a pull stages layers concurrently.
 */
final class Staging implements AutoCloseable {
    private final Path dir;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final Map<Digest, BlobStore.Written> stagedBlobs = new ConcurrentHashMap<>();
    private final Map<Digest, Path> stagedLayers = new ConcurrentHashMap<>();
    private final Map<Digest, Object> layerLocks = new ConcurrentHashMap<>();

    /** What the user should hear about this operation's layers (see {@link ProgressListener#onNotice}). */
    private final List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();

    List<String> notices() {
        return List.copyOf(notices);
    }

    Staging(StoreLayout layout, BlobStore blobs, LayerStore layers) {
        this.dir = layout.tmp().resolve(UUID.randomUUID().toString());
        this.blobs = blobs;
        this.layers = layers;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Streams a blob in, verifying digest and size when given. A blob already stored or staged is not copied again. */
    Digest putBlob(InputStream in, Digest expected, long size, LongConsumer progress) {
        if (expected != null && hasBlob(expected)) {
            return expected;
        }
        BlobStore.Written w = BlobStore.write(in, dir.resolve("blob-" + UUID.randomUUID()), expected, size, progress);
        // Same content already stored, or staged by an earlier file of this operation: keep one copy.
        if (blobs.contains(w.digest()) || stagedBlobs.putIfAbsent(w.digest(), w) != null) {
            FileTrees.delete(w.file());
        }
        return w.digest();
    }

    Digest putBlob(byte[] content, Digest expected) {
        return putBlob(new ByteArrayInputStream(content), expected, content.length, n -> {});
    }

    boolean hasBlob(Digest d) {
        return stagedBlobs.containsKey(d) || blobs.contains(d);
    }

    InputStream openBlob(Digest d) {
        BlobStore.Written w = stagedBlobs.get(d);
        if (w == null) {
            return blobs.open(d);
        }
        try {
            return Files.newInputStream(w.file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read staged blob " + d, e);
        }
    }

    byte[] readBlob(Digest d) {
        try (InputStream in = openBlob(d)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + d, e);
        }
    }

    long blobSize(Digest d) {
        BlobStore.Written w = stagedBlobs.get(d);
        try {
            return w != null ? w.size() : Files.size(blobs.path(d));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat blob " + d, e);
        }
    }

    boolean hasLayer(Digest diffId) {
        return stagedLayers.containsKey(diffId) || layers.contains(diffId);
    }

    /**
     * Unpacks the staged or stored blob {@code blob} as layer {@code diffId} unless that layer is already there.
     *
     * @param expectedDiffId null for a rootfs import, where nothing promises a diff-id
     * @return the diff-id of the layer
     */
    Digest unpackLayer(Digest blob, Digest expectedDiffId, ExtractOptions opts, LongConsumer progress) {
        if (expectedDiffId == null) {
            return unpack(blob, null, opts, progress);
        }
        // Two manifests entries may share a layer; unpack it once.
        synchronized (layerLocks.computeIfAbsent(expectedDiffId, k -> new Object())) {
            if (hasLayer(expectedDiffId)) {
                return expectedDiffId;
            }
            return unpack(blob, expectedDiffId, opts, progress);
        }
    }

    private Digest unpack(Digest blob, Digest expectedDiffId, ExtractOptions opts, LongConsumer progress) {
        Path target = dir.resolve("layer-" + UUID.randomUUID());
        try (InputStream in = new dev.vessel.image.blob.CountingInputStream(openBlob(blob), progress)) {
            Files.createDirectory(target);
            var unpacked = LayerUnpacker.unpackReporting(in, target, expectedDiffId, opts);
            Digest diffId = unpacked.diffId();
            if (!unpacked.skippedDevices().isEmpty()) {
                var names = unpacked.skippedDevices();
                notices.add("layer " + diffId.toString().substring(7, 19) + ": skipped " + names.size() + " device node"
                        + (names.size() == 1 ? "" : "s") + " ("
                        + String.join(", ", names.subList(0, Math.min(8, names.size())))
                        + (names.size() > 8 ? ", ..." : "") + "); containers get their own /dev from the runtime");
            }
            if (hasLayer(diffId)) {
                FileTrees.delete(target);
            } else {
                stagedLayers.put(diffId, target);
            }
            return diffId;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack layer " + blob, e);
        }
    }

    /**
     * Moves what {@code image} needs from staging into the store; other staged files (an archive's extra files, say)
     * are dropped with the staging dir. Called under the store's lock, after every check has passed.
     */
    void commit(ImageRecord image) {
        adoptBlob(image.manifestDigest());
        adoptBlob(image.configDigest());
        for (LayerRef l : image.layers()) {
            adoptBlob(l.blob());
            Path staged = stagedLayers.remove(l.diffId());
            if (staged != null) {
                layers.adopt(staged, l.diffId());
            }
        }
    }

    private void adoptBlob(Digest d) {
        BlobStore.Written w = stagedBlobs.remove(d);
        if (w != null) {
            blobs.adopt(w);
        }
    }

    /** The staged blobs as an archive loader sees them. */
    dev.vessel.image.archive.BlobSink sink() {
        return new dev.vessel.image.archive.BlobSink() {
            @Override
            public Digest put(InputStream in, Digest expected, long size) {
                return putBlob(in, expected, size, n -> {});
            }

            @Override
            public byte[] read(Digest digest) {
                return readBlob(digest);
            }

            @Override
            public InputStream open(Digest digest) {
                return openBlob(digest);
            }

            @Override
            public long size(Digest digest) {
                return blobSize(digest);
            }
        };
    }

    @Override
    public void close() {
        FileTrees.delete(dir);
    }
}
