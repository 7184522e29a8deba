package dev.vessel.image;

import dev.vessel.core.error.VesselException;
import dev.vessel.image.layer.ExtractOptions;
import dev.vessel.image.manifest.ConfigParser;
import dev.vessel.image.manifest.ImageManifest;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.ImageRecord;
import dev.vessel.image.oci.LayerRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns a staged manifest, config and layers into an {@link ImageRecord}, checking that they agree. */
final class ImageAssembly {
    private ImageAssembly() {}

    /** Reads and checks the staged config of {@code m}. */
    static ImageConfig config(Staging staging, ImageManifest m) {
        ImageConfig config = ConfigParser.parse(staging.readBlob(m.config().digest()));
        if (config.diffIds().size() != m.layers().size()) {
            throw VesselException.invalid(
                    "manifest",
                    "it lists " + m.layers().size() + " layers but the image config lists "
                            + config.diffIds().size() + " diff_ids");
        }
        return config;
    }

    /**
     * Unpacks every layer of {@code m} in order (for loads; pulls do this concurrently) and builds the record, telling
     * {@code listener} each layer's progress as a pull would (waiting, extracting, done).
     */
    static ImageRecord unpackAll(
            Staging staging, Digest manifestDigest, ImageManifest m, ExtractOptions opts, ProgressListener listener) {
        ImageConfig config = config(staging, m);
        for (Descriptor d : m.layers()) {
            listener.onProgress(new LayerProgress(d.digest().shortId(), 0, d.size(), LayerProgress.Phase.WAITING));
        }
        for (int i = 0; i < m.layers().size(); i++) {
            Digest blob = m.layers().get(i).digest();
            long size = m.layers().get(i).size();
            try {
                listener.onProgress(new LayerProgress(blob.shortId(), 0, size, LayerProgress.Phase.EXTRACTING));
                long[] last = {0};
                staging.unpackLayer(blob, config.diffIds().get(i), opts, n -> {
                    if (n - last[0] >= 256 * 1024) {
                        last[0] = n;
                        listener.onProgress(new LayerProgress(blob.shortId(), n, size, LayerProgress.Phase.EXTRACTING));
                    }
                });
                listener.onProgress(new LayerProgress(blob.shortId(), size, size, LayerProgress.Phase.DONE));
            } catch (VesselException e) {
                throw new VesselException(
                        e.type(), "layer " + (i + 1) + " (" + blob.shortId() + "): " + e.getMessage(), e.details(), e);
            }
        }
        return record(staging, manifestDigest, m, config);
    }

    static ImageRecord record(Staging staging, Digest manifestDigest, ImageManifest m, ImageConfig config) {
        List<LayerRef> layers = new ArrayList<>();
        long size = 0;
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor d = m.layers().get(i);
            layers.add(new LayerRef(d.digest(), config.diffIds().get(i), d.mediaType(), d.size()));
            size += d.size();
        }
        return new ImageRecord(m.config().digest(), manifestDigest, m.mediaType(), layers, config, size, Instant.now());
    }
}
