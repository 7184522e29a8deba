package dev.vessel.image;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.LayerProgress.Phase;
import dev.vessel.image.layer.ExtractOptions;
import dev.vessel.image.manifest.ImageIndex;
import dev.vessel.image.manifest.ImageManifest;
import dev.vessel.image.manifest.ManifestDocument;
import dev.vessel.image.manifest.ManifestParser;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.ImageRecord;
import dev.vessel.image.oci.ImageReference;
import dev.vessel.image.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * One pull: resolve the manifest (choosing this platform from an index), fetch the config, then download, verify and
 * unpack the layers concurrently on virtual threads, a few at a time, into the pull's {@link Staging}.
 */
final class Puller {
    private static final long REPORT_EVERY = 256 * 1024;

    private final RegistryClient client;
    private final Staging staging;
    private final ExtractOptions extract;
    private final ProgressListener listener;

    Puller(RegistryClient client, Staging staging, ExtractOptions extract, ProgressListener listener) {
        this.client = client;
        this.staging = staging;
        this.extract = extract;
        this.listener = listener;
    }

    ImageRecord pull(ImageReference ref) {
        RegistryClient.Manifest top = client.manifest(ref, ref.manifestRef());
        RegistryClient.Manifest chosen = top;
        ManifestDocument doc = ManifestParser.parse(top.body(), top.mediaType());
        if (doc instanceof ImageIndex index) {
            Descriptor d = index.select(client.options().platform(), "'" + ref.familiarName() + "'");
            chosen = client.manifest(ref, d.digest().toString());
            doc = ManifestParser.parse(chosen.body(), chosen.mediaType());
            if (doc instanceof ImageIndex) {
                throw VesselException.invalid(
                        "manifest", "an index of '" + ref.familiarName() + "' points at another index");
            }
        }
        ImageManifest m = (ImageManifest) doc;
        staging.putBlob(chosen.body(), chosen.digest());
        Descriptor cfg = m.config();
        if (!staging.hasBlob(cfg.digest())) {
            try (InputStream in = client.blob(ref, cfg.digest())) {
                staging.putBlob(in, cfg.digest(), cfg.size(), n -> {});
            } catch (IOException e) {
                throw new VesselException(
                        ProblemType.UNAVAILABLE,
                        "cannot download the config of '" + ref.familiarName() + "'",
                        Map.of(),
                        e);
            }
        }
        ImageConfig config = ImageAssembly.config(staging, m);
        layers(ref, m, config);
        return ImageAssembly.record(staging, chosen.digest(), m, config);
    }

    private void layers(ImageReference ref, ImageManifest m, ImageConfig config) {
        // One task per distinct blob: an image may list the same (empty) layer several times.
        Map<Digest, Integer> distinct = new LinkedHashMap<>();
        for (int i = 0; i < m.layers().size(); i++) {
            distinct.putIfAbsent(m.layers().get(i).digest(), i);
        }
        distinct.forEach((blob, i) -> report(blob, 0, m.layers().get(i).size(), Phase.WAITING));
        Semaphore slots = new Semaphore(client.options().concurrentDownloads());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            distinct.forEach((blob, i) -> tasks.add(pool.submit(() -> {
                slots.acquire();
                try {
                    layer(ref, m.layers().get(i), config.diffIds().get(i), i);
                } finally {
                    slots.release();
                }
                return null;
            })));
            for (Future<?> t : tasks) {
                await(t, tasks);
            }
        }
    }

    private void layer(ImageReference ref, Descriptor d, Digest diffId, int index) {
        long total = d.size();
        if (staging.hasBlob(d.digest()) && staging.hasLayer(diffId)) {
            report(d.digest(), total, total, Phase.DONE);
            return;
        }
        try {
            if (!staging.hasBlob(d.digest())) {
                report(d.digest(), 0, total, Phase.DOWNLOADING);
                long[] last = {0};
                try (InputStream in = client.blob(ref, d.digest())) {
                    staging.putBlob(in, d.digest(), total, n -> {
                        if (n - last[0] >= REPORT_EVERY) {
                            last[0] = n;
                            report(d.digest(), n, total, Phase.DOWNLOADING);
                        }
                    });
                }
                report(d.digest(), total, total, Phase.VERIFYING);
            }
            report(d.digest(), 0, total, Phase.EXTRACTING);
            long[] last = {0};
            staging.unpackLayer(d.digest(), diffId, extract, n -> {
                if (n - last[0] >= REPORT_EVERY) {
                    last[0] = n;
                    report(d.digest(), n, total, Phase.EXTRACTING);
                }
            });
            report(d.digest(), total, total, Phase.DONE);
        } catch (IOException e) {
            throw new VesselException(
                    ProblemType.UNAVAILABLE,
                    "layer " + (index + 1) + " (" + d.digest().shortId() + ") of '" + ref.familiarName()
                            + "': download failed: " + e.getMessage(),
                    Map.of(),
                    e);
        } catch (VesselException e) {
            throw new VesselException(
                    e.type(),
                    "layer " + (index + 1) + " (" + d.digest().shortId() + ") of '" + ref.familiarName() + "': "
                            + e.getMessage(),
                    e.details(),
                    e);
        }
    }

    /** Waits for one task; on its failure cancels the others and rethrows the failure as it was. */
    private static void await(Future<?> task, List<Future<?>> all) {
        try {
            task.get();
        } catch (ExecutionException e) {
            all.forEach(t -> t.cancel(true));
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("a layer task failed", e.getCause());
        } catch (InterruptedException e) {
            all.forEach(t -> t.cancel(true));
            Thread.currentThread().interrupt();
            throw new VesselException(ProblemType.UNAVAILABLE, "pull interrupted", Map.of(), e);
        }
    }

    private void report(Digest blob, long done, long total, Phase phase) {
        listener.onProgress(new LayerProgress(blob.shortId(), done, total, phase));
    }
}
