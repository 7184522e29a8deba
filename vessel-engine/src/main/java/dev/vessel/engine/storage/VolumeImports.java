package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ByteSize;
import dev.vessel.core.model.Names;
import dev.vessel.core.task.Task;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.task.TaskContext;
import dev.vessel.engine.task.TaskRunner;
import dev.vessel.host.PathGuard;
import dev.vessel.model.VolumeImportRequest;
import dev.vessel.storage.ImageInspector;
import dev.vessel.storage.SourceFormat;
import dev.vessel.storage.StoragePool;
import dev.vessel.storage.VolumeFormat;
import dev.vessel.storage.download.Downloader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Volumes from existing images: a file on the daemon's host, or an http(s) URL. The image is inspected first (format,
 * backing chain inside the pool, no external files) and converted by qemu-img into the pool. A download goes to
 * {@code <data-dir>/downloads/<volume>.part} and is resumed by the next import of the same URL after a failure.
 */
public final class VolumeImports {
    private final Pools pools;
    private final VolumeOps volumes;
    private final ImageInspector inspector;
    private final Downloader downloader;
    private final Path downloadsDir;
    private final TaskRunner tasks;
    private final EventBus events;

    public VolumeImports(
            Pools pools,
            VolumeOps volumes,
            ImageInspector inspector,
            Downloader downloader,
            Path downloadsDir,
            TaskRunner tasks,
            EventBus events) {
        this.pools = pools;
        this.volumes = volumes;
        this.inspector = inspector;
        this.downloader = downloader;
        this.downloadsDir = downloadsDir;
        this.tasks = tasks;
        this.events = events;
    }

    /** Imports into {@code project} (null: the default one); its disk quota is checked once the size is known. */
    public Task start(String project, VolumeImportRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        String name = dev.vessel.core.model.ProjectKey.of(project, Names.requireValid("name", r.name()));
        StoragePool pool = pools.get(r.pool());
        volumes.reserve(name);
        try {
            Task t = submit(r, name, pool);
            return t;
        } catch (RuntimeException e) {
            volumes.release(name);
            throw e;
        }
    }

    /** The name is reserved; the task releases it when it ends. */
    private Task submit(VolumeImportRequest r, String name, StoragePool pool) {
        volumes.requireFree(name);
        if ((r.path() == null) == (r.url() == null)) {
            throw VesselException.invalid(
                    "path",
                    "give either path (a file on the daemon's host) or url, not "
                            + (r.path() == null ? "neither" : "both"));
        }
        if (r.format() != null) {
            SourceFormat.parse("format", r.format());
        }
        VolumeFormat target = r.targetFormat() == null ? null : VolumeFormat.parse("targetFormat", r.targetFormat());
        if (r.path() != null) {
            if (r.sha256() != null) {
                throw VesselException.invalid("sha256", "is checked for downloads (url) only");
            }
            Path src = PathGuard.existingFile("path", r.path());
            // Checked now, so that a hostile image is refused by the request itself, and again by the task.
            var found = inspector.inspect(src, r.format(), Path.of(pool.info().location()));
            return tasks.submit("volume-import", name, ctx -> {
                try {
                    convert(ctx, pool, name, src, r.format(), targetOr(target, found.format()));
                } finally {
                    volumes.release(name);
                }
            });
        }
        URI url = Downloader.parseUrl("url", r.url());
        String sha = Downloader.checkSha256("sha256", r.sha256());
        return tasks.submit("volume-download", name, ctx -> {
            try {
                download(ctx, pool, name, url, sha, r.format(), target);
            } finally {
                volumes.release(name);
            }
        });
    }

    /** Raw stays raw (an ISO is raw); everything else becomes qcow2, which has snapshots. */
    private static VolumeFormat targetOr(VolumeFormat asked, SourceFormat from) {
        if (asked != null) {
            return asked;
        }
        return from == SourceFormat.raw || from == SourceFormat.iso ? VolumeFormat.raw : VolumeFormat.qcow2;
    }

    private void convert(
            TaskContext ctx, StoragePool pool, String name, Path src, String declared, VolumeFormat target) {
        var found = inspector.inspect(src, declared, Path.of(pool.info().location()));
        ctx.report(
                0.05,
                "importing " + src + " (" + found.format() + ", " + ByteSize.human(found.virtualSize()) + ") as "
                        + target);
        volumes.checkDisk(name, found.virtualSize());
        var v = pool.importImage(name, src, found.format(), target, (f, m) -> ctx.report(0.05 + 0.9 * f, m));
        events.publish(
                "volume-created",
                "volume",
                name,
                Map.of("pool", pool.name(), "from", found.format().name()));
        ctx.report(
                1.0,
                "volume " + name + ": " + ByteSize.human(v.virtualSize()) + " " + v.format() + " in pool "
                        + pool.name());
    }

    private void download(
            TaskContext ctx, StoragePool pool, String name, URI url, String sha, String declared, VolumeFormat target)
            throws Exception {
        Path partial = downloadsDir.resolve(name + ".part");
        long free = pool.info().availableBytes();
        ctx.report(
                0.0,
                "downloading " + url
                        + (Files.exists(partial)
                                ? " (resuming after " + ByteSize.human(Files.size(partial)) + ")"
                                : ""));
        long[] lastLogged = {0};
        var result = downloader.fetch(url, partial, sha, free, (done, total) -> {
            String msg = null;
            if (done - lastLogged[0] >= 64L << 20) {
                lastLogged[0] = done;
                msg = "downloaded " + ByteSize.human(done) + (total > 0 ? " of " + ByteSize.human(total) : "");
            }
            ctx.report(total > 0 ? 0.8 * done / total : 0.4, msg);
        });
        ctx.log("downloaded " + ByteSize.human(result.bytes())
                + (result.resumed() > 0 ? " (resumed at " + ByteSize.human(result.resumed()) + ")" : "") + ", sha256 "
                + result.sha256() + (sha != null ? " (as expected)" : ""));
        try {
            // A downloaded image may not refer to any other file: nothing on this host is its business.
            var found = inspector.inspect(partial, declared, null);
            VolumeFormat to = targetOr(target, found.format());
            volumes.checkDisk(name, found.virtualSize());
            ctx.report(0.85, "converting " + found.format() + " to " + to);
            var v = pool.importImage(name, partial, found.format(), to, (f, m) -> ctx.report(0.85 + 0.14 * f, m));
            events.publish("volume-created", "volume", name, Map.of("pool", pool.name(), "url", url.toString()));
            ctx.report(
                    1.0,
                    "volume " + name + ": " + ByteSize.human(v.virtualSize()) + " " + v.format() + " in pool "
                            + pool.name());
        } finally {
            // A complete, checked download is not kept: it was either imported or refused for what it is.
            Files.deleteIfExists(partial);
        }
    }
}
