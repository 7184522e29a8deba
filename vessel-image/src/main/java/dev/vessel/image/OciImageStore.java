package dev.vessel.image;

import dev.vessel.core.error.VesselException;
import dev.vessel.image.archive.ArchiveLoader;
import dev.vessel.image.blob.BlobStore;
import dev.vessel.image.blob.Compression;
import dev.vessel.image.catalog.ImageCatalog;
import dev.vessel.image.catalog.JsonFileCatalog;
import dev.vessel.image.layer.ExtractOptions;
import dev.vessel.image.manifest.ConfigParser;
import dev.vessel.image.manifest.ImageManifest;
import dev.vessel.image.manifest.ManifestWriter;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageRecord;
import dev.vessel.image.oci.ImageReference;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.image.oci.Platform;
import dev.vessel.image.registry.RegistryClient;
import dev.vessel.image.registry.RegistryOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The OCI image store: the one entry point of this module. See {@link StoreLayout} for what it keeps on disk.
 *
 * <p>Namespaces: every name, and every image kept without one, is a namespace's (the daemon's projects; a call that
 * names none is {@link ImageCatalog#DEFAULT}'s), while blobs, layers and image records are shared, so the same image
 * pulled in two namespaces is stored once. An image goes when the last namespace that holds it lets it go. A full
 * image id is found in any namespace ({@link #layerDirs}, {@link #flatten}: a container pins its image by id).
 *
 * <p>Concurrency: imports, loads, pulls and flattens run concurrently, each in its own {@link Staging}; catalogue
 * changes are serialised; {@link #gc()} waits for all of them (it must not delete a blob that a running pull has
 * just decided it need not download).
 */
public final class OciImageStore {
    private final StoreLayout layout;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final ImageCatalog catalog;
    private final ExtractOptions extract;
    private final RegistryClient registry;
    private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();
    private final Object catalogLock = new Object();

    public OciImageStore(StoreLayout layout, ImageCatalog catalog, ExtractOptions extract, RegistryClient registry) {
        this.layout = layout;
        this.blobs = new BlobStore(layout.blobs());
        this.layers = new LayerStore(layout.layers());
        this.catalog = catalog;
        this.extract = extract;
        this.registry = registry;
        try {
            java.nio.file.Files.createDirectories(layout.tmp());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + layout.tmp(), e);
        }
    }

    public static OciImageStore open(Path root) {
        return open(root, RegistryOptions.defaults());
    }

    public static OciImageStore open(Path root, RegistryOptions registryOptions) {
        return open(root, registryOptions, ExtractOptions.defaults());
    }

    public static OciImageStore open(Path root, RegistryOptions registryOptions, ExtractOptions extract) {
        StoreLayout layout = new StoreLayout(root);
        return new OciImageStore(
                layout, new JsonFileCatalog(layout.catalog()), extract, new RegistryClient(registryOptions));
    }

    public StoreLayout layout() {
        return layout;
    }

    public BlobStore blobs() {
        return blobs;
    }

    /** A plain rootfs tarball (tar or tar.gz/zstd) becomes a one-layer image with a generated config. */
    public ImageInfo importRootfs(Path tarball, String nameTag) {
        return importRootfs(tarball, nameTag, ProgressListener.NONE);
    }

    /** Like {@link #importRootfs(Path, String)}, telling {@code listener} what it should know (skipped device nodes). */
    public ImageInfo importRootfs(Path tarball, String nameTag, ProgressListener listener) {
        return importRootfs(ImageCatalog.DEFAULT, tarball, nameTag, listener);
    }

    /** Like {@link #importRootfs(Path, String, ProgressListener)}, naming the image in {@code namespace}. */
    public ImageInfo importRootfs(String namespace, Path tarball, String nameTag, ProgressListener listener) {
        ImageReference ref = ImageReference.parse(nameTag);
        if (ref.tag() == null) {
            throw VesselException.invalid("name", "an import needs name:tag, not a digest");
        }
        if (!Files.isRegularFile(tarball)) {
            throw VesselException.invalid("file", "'" + tarball + "' is not a regular file");
        }
        return operation(listener, st -> {
            Digest blob;
            String mediaType;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball))) {
                mediaType = switch (Compression.detect(in)) {
                    case NONE -> MediaTypes.OCI_LAYER;
                    case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                    case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
                };
                blob = st.putBlob(in, null, -1, n -> {});
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + tarball, e);
            }
            Digest diffId = st.unpackLayer(blob, null, extract, n -> {});
            byte[] config = ManifestWriter.rootfsConfig(
                    Platform.host(), List.of(diffId), Instant.now(), "vessel image import " + tarball.getFileName());
            Descriptor configDesc = new Descriptor(MediaTypes.OCI_CONFIG, st.putBlob(config, null), config.length);
            Descriptor layerDesc = new Descriptor(mediaType, blob, st.blobSize(blob));
            ImageManifest m = new ImageManifest(MediaTypes.OCI_MANIFEST, configDesc, List.of(layerDesc));
            byte[] manifest = ManifestWriter.manifest(m.mediaType(), configDesc, m.layers());
            Digest manifestDigest = st.putBlob(manifest, null);
            ImageRecord rec = ImageAssembly.record(st, manifestDigest, m, ConfigParser.parse(config));
            return commit(namespace, st, rec, List.of(ref.localRef()));
        });
    }

    /** Loads a {@code docker save} archive or an OCI image layout (tar, or a directory); returns what it stored. */
    public List<ImageInfo> load(Path archive) {
        return load(archive, ProgressListener.NONE);
    }

    /** Like {@link #load(Path)}, telling {@code listener} each layer's unpacking as a pull would. */
    public List<ImageInfo> load(Path archive, ProgressListener listener) {
        return load(archive, listener, null);
    }

    /**
     * Like {@link #load(Path, ProgressListener)}; an image the archive does not name (no reference, or an OCI ref.name
     * that is a tag alone) is named {@code name}: {@code name:TAG} for a bare tag when {@code name} has no tag of its
     * own. An archive with several unnamed images cannot take one name, and a nameless one is reported.
     */
    public List<ImageInfo> load(Path archive, ProgressListener listener, String name) {
        return load(ImageCatalog.DEFAULT, archive, listener, name);
    }

    /** Like {@link #load(Path, ProgressListener, String)}, into {@code namespace}. */
    public List<ImageInfo> load(String namespace, Path archive, ProgressListener listener, String name) {
        ImageReference given = name == null ? null : ImageReference.parse(name);
        if (given != null && given.digest() != null) {
            throw VesselException.invalid("name", "'" + name + "' names a digest; give a name or name:tag");
        }
        return operation(listener, st -> {
            List<ArchiveLoader.Loaded> loaded = new ArchiveLoader(st.sink(), Platform.host()).read(archive);
            long unnamed = loaded.stream().filter(l -> l.references().isEmpty()).count();
            if (given != null && unnamed > 1) {
                throw VesselException.invalid(
                        "name",
                        "the archive holds " + unnamed + " images without a name; one name cannot name them all");
            }
            List<ImageInfo> out = new ArrayList<>();
            for (ArchiveLoader.Loaded l : loaded) {
                ImageRecord rec = ImageAssembly.unpackAll(st, l.manifestDigest(), l.manifest(), extract, listener);
                List<String> refs = l.references();
                if (refs.isEmpty() && given != null) {
                    String tagged =
                            given.tag() != null && name.contains(":") && name.lastIndexOf(':') > name.lastIndexOf('/')
                                    ? name
                                    : given.familiarName() + ":" + (l.bareTag() != null ? l.bareTag() : "latest");
                    refs = List.of(ImageReference.parse(tagged).localRef());
                } else if (refs.isEmpty()) {
                    listener.onNotice("image " + rec.id().toString().substring(7, 19) + " has no name"
                            + (l.bareTag() != null
                                    ? " (its ref.name '" + l.bareTag() + "' is a tag alone, with no repository)"
                                    : "")
                            + ": name it with image load --name NAME, or image tag "
                            + rec.id().toString().substring(7, 19) + " NAME");
                }
                out.add(new ImageInfo(rec, refs));
            }
            List<ImageInfo> committed = new ArrayList<>();
            for (ImageInfo i : out) {
                committed.add(commit(namespace, st, i.image(), i.references()));
            }
            return committed;
        });
    }

    /** Pulls from a registry with the client this store was opened with. */
    public ImageInfo pull(String reference, ProgressListener listener) {
        return pull(reference, listener, registry);
    }

    /** Pulls with another client, e.g. one that carries the credentials of a {@code login} made since. */
    public ImageInfo pull(String reference, ProgressListener listener, RegistryClient client) {
        return pull(ImageCatalog.DEFAULT, reference, listener, client);
    }

    /** Pulls into {@code namespace}: layers the store has already (from any namespace) are not downloaded again. */
    public ImageInfo pull(String namespace, String reference, ProgressListener listener, RegistryClient client) {
        ImageReference ref = ImageReference.parse(reference);
        return operation(
                listener,
                st -> commit(namespace, st, new Puller(client, st, extract, listener).pull(ref), pulledRefs(ref)));
    }

    /** The registry options this store was opened with (insecure registries, timeouts, platform). */
    public RegistryOptions registryOptions() {
        return registry.options();
    }

    private static List<String> pulledRefs(ImageReference ref) {
        List<String> refs = new ArrayList<>();
        if (ref.tag() != null) {
            refs.add(ref.familiarName() + ":" + ref.tag());
        }
        if (ref.digest() != null) {
            refs.add(ref.familiarName() + "@" + ref.digest());
        }
        return refs;
    }

    public List<ImageInfo> list() {
        return list(ImageCatalog.DEFAULT);
    }

    /** The images {@code namespace} holds, each with its references there. */
    public List<ImageInfo> list(String namespace) {
        Map<Digest, List<String>> refs = refsById(namespace);
        var held = catalog.held(namespace);
        return catalog.images().stream()
                .filter(r -> held.contains(r.id()))
                .map(r -> new ImageInfo(r, refs.getOrDefault(r.id(), List.of())))
                .toList();
    }

    /** The namespaces that hold any image or name. */
    public java.util.Set<String> namespaces() {
        return catalog.namespaces();
    }

    /** By reference ({@code busybox}, {@code name:tag}, {@code name@sha256:...}) or by id or unique id prefix. */
    public ImageInfo inspect(String reference) {
        return inspect(ImageCatalog.DEFAULT, reference);
    }

    /** {@link #inspect(String)} in {@code namespace}: its names, and the ids of the images it holds. */
    public ImageInfo inspect(String namespace, String reference) {
        Digest id = resolve(namespace, reference);
        return new ImageInfo(
                catalog.image(id).orElseThrow(() -> VesselException.notFound("image", reference)),
                refsById(namespace).getOrDefault(id, List.of()));
    }

    /**
     * The unpacked layer dirs of an image, lowest first: the lower dirs of an overlay mount, in reverse. By a
     * default-namespace reference or by an id of any namespace's image.
     */
    public List<Path> layerDirs(String reference) {
        return anywhere(reference).layers().stream()
                .map(l -> layers.path(l.diffId()))
                .toList();
    }

    /** An image of whichever namespace holds it, by its id (a container pins its image so). */
    public ImageRecord image(String id) {
        return anywhere(id);
    }

    /** An image by a default-namespace reference, or by an id (or unique prefix) of any namespace's image. */
    private ImageRecord anywhere(String reference) {
        Digest id = resolve(null, reference);
        return catalog.image(id).orElseThrow(() -> VesselException.notFound("image", reference));
    }

    /**
     * Gives the image {@code source} names (a reference or an id) the reference {@code target} as well. A target that
     * named another image moves here; that image keeps its other names, or stays without one (as {@code docker tag}).
     */
    public ImageInfo tag(String source, String target) {
        return tag(ImageCatalog.DEFAULT, source, target);
    }

    /** {@link #tag(String, String)} within {@code namespace}: the source is one of its images, the name its own. */
    public ImageInfo tag(String namespace, String source, String target) {
        ImageReference t = ImageReference.parse(target);
        if (t.digest() != null) {
            throw VesselException.invalid("target", "'" + target + "' is a digest; a tag is name or name:tag");
        }
        synchronized (catalogLock) {
            Digest id = resolve(namespace, source);
            Digest previous = catalog.references(namespace).get(t.localRef());
            catalog.putReference(namespace, t.localRef(), id);
            if (previous != null && !previous.equals(id)) {
                // The image the name left stays in the namespace, nameless (as docker tag leaves it).
                keepIfNameless(namespace, previous);
            }
            return new ImageInfo(
                    catalog.image(id).orElseThrow(() -> VesselException.notFound("image", source)),
                    refsById(namespace).getOrDefault(id, List.of()));
        }
    }

    /** Removes the reference {@code reference} but never the image, which stays (without a name, if that was its last). */
    public ImageInfo untag(String reference) {
        return untag(ImageCatalog.DEFAULT, reference);
    }

    /** {@link #untag(String)} in {@code namespace}: the image stays in it. */
    public ImageInfo untag(String namespace, String reference) {
        synchronized (catalogLock) {
            String local = localRefOrNull(reference);
            if (local == null || !catalog.references(namespace).containsKey(local)) {
                throw VesselException.notFound("image reference", reference);
            }
            Digest id = catalog.references(namespace).get(local);
            catalog.hold(namespace, id);
            catalog.removeReference(namespace, local);
            return new ImageInfo(
                    catalog.image(id).orElseThrow(() -> VesselException.notFound("image", reference)),
                    refsById(namespace).getOrDefault(id, List.of()));
        }
    }

    /**
     * Removes a reference; the image goes when its last reference goes. Given an image id, removes every reference
     * and the image. Blobs and layer dirs stay until {@link #gc()}.
     */
    public RemoveResult remove(String reference) {
        return remove(ImageCatalog.DEFAULT, reference);
    }

    /**
     * {@link #remove(String)} in {@code namespace}: the namespace lets go of the image with its last name there, and
     * the image goes when no namespace holds it any more ({@link RemoveResult#deleted} says so).
     */
    public RemoveResult remove(String namespace, String reference) {
        synchronized (catalogLock) {
            Digest id = resolve(namespace, reference);
            String local = localRefOrNull(reference);
            List<String> refs = refsById(namespace).getOrDefault(id, List.of());
            List<String> gone = local != null && refs.contains(local) ? List.of(local) : refs;
            gone.forEach(r -> catalog.removeReference(namespace, r));
            boolean last = refsById(namespace).getOrDefault(id, List.of()).isEmpty();
            boolean deleted = false;
            if (last) {
                catalog.release(namespace, id);
                deleted = dropIfUnheld(id);
            }
            return new RemoveResult(String.join(", ", gone), deleted ? id : null);
        }
    }

    /** Removes the record of an image no namespace holds; true if it went. */
    private boolean dropIfUnheld(Digest id) {
        if (catalog.heldAnywhere(id)) {
            return false;
        }
        catalog.removeImage(id);
        return true;
    }

    /** An image that lost its last name in {@code namespace} but stays there, without one. */
    private void keepIfNameless(String namespace, Digest id) {
        if (!refsById(namespace).containsKey(id)) {
            catalog.hold(namespace, id);
        }
    }

    /** Deletes blobs and layer dirs that no image references, and leftovers of interrupted operations. */
    public GcResult gc() {
        gcLock.writeLock().lock();
        try {
            synchronized (catalogLock) {
                // A record no namespace holds (a crash between letting go and removing it) is garbage too.
                catalog.images().stream().map(ImageRecord::id).forEach(this::dropIfUnheld);
            }
            return new GarbageCollector(layout, blobs, layers, catalog).collect();
        } finally {
            gcLock.writeLock().unlock();
        }
    }

    /**
     * Applies the image's layers, whiteouts included, into a new directory {@code target}: the container rootfs when
     * overlayfs is not available. Built next to {@code target} and renamed, so {@code target} appears complete or not at all.
     */
    public Path flatten(String reference, Path target) {
        ImageRecord image = anywhere(reference);
        gcLock.readLock().lock();
        try {
            return new Flattener(blobs, extract).flatten(image, target);
        } finally {
            gcLock.readLock().unlock();
        }
    }

    /** Runs {@code body} on a fresh staging area; once it succeeded, tells {@code listener} the notices it collected. */
    private <T> T operation(ProgressListener listener, Function<Staging, T> body) {
        gcLock.readLock().lock();
        try (Staging st = new Staging(layout, blobs, layers)) {
            T result = body.apply(st);
            st.notices().forEach(listener::onNotice);
            return result;
        } finally {
            gcLock.readLock().unlock();
        }
    }

    private ImageInfo commit(String namespace, Staging st, ImageRecord rec, List<String> refs) {
        synchronized (catalogLock) {
            st.commit(rec);
            catalog.putImage(rec);
            if (refs.isEmpty()) {
                catalog.hold(namespace, rec.id());
            }
            for (String r : refs) {
                Digest previous = catalog.references(namespace).get(r);
                catalog.putReference(namespace, r, rec.id());
                // A re-pulled tag moves to the new image; the old one, if nothing names it here any more, leaves the
                // namespace, and goes if no other namespace holds it.
                if (previous != null
                        && !previous.equals(rec.id())
                        && !refsById(namespace).containsKey(previous)) {
                    catalog.release(namespace, previous);
                    dropIfUnheld(previous);
                }
            }
            return new ImageInfo(rec, refsById(namespace).getOrDefault(rec.id(), List.of()));
        }
    }

    private Map<Digest, List<String>> refsById(String namespace) {
        Map<Digest, List<String>> out = new HashMap<>();
        catalog.references(namespace)
                .forEach((r, id) ->
                        out.computeIfAbsent(id, k -> new ArrayList<>()).add(r));
        return out;
    }

    /** A reference of {@code namespace}, or an id (or unique prefix) of an image it holds; null: any namespace's id. */
    private Digest resolve(String namespace, String reference) {
        String local = localRefOrNull(reference);
        var refs = catalog.references(namespace == null ? ImageCatalog.DEFAULT : namespace);
        if (local != null && refs.containsKey(local)) {
            return refs.get(local);
        }
        String hex = reference.startsWith("sha256:") ? reference.substring(7) : reference;
        if (hex.matches("[a-f0-9]{4,64}")) {
            var held = namespace == null ? null : catalog.held(namespace);
            List<Digest> ids = catalog.images().stream()
                    .map(ImageRecord::id)
                    .filter(d -> held == null || held.contains(d))
                    .filter(d -> d.hex().startsWith(hex))
                    .toList();
            if (ids.size() == 1) {
                return ids.getFirst();
            }
            if (ids.size() > 1) {
                throw VesselException.invalid(
                        "image", "id prefix '" + hex + "' is ambiguous (" + ids.size() + " images)");
            }
        }
        throw VesselException.notFound("image", reference);
    }

    private static String localRefOrNull(String reference) {
        try {
            return ImageReference.parse(reference).localRef();
        } catch (VesselException e) {
            return null; // Not a reference: maybe an id.
        }
    }
}
