package dev.vessel.container.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.image.manifest.ManifestWriter;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.image.oci.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Images the tests build themselves from the host's busybox-static: a rootfs with every applet linked, a passwd with
 * root and {@code app} (1000:1000, also in group {@code extra} 2000), and a config the test chooses. They can be
 * written as an OCI layout, a {@code docker save} archive, a plain rootfs tar, or pushed to a registry.
 */
public final class TestImage {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Layer(byte[] blob, Digest digest, Digest diffId) {
        Descriptor descriptor() {
            return new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, blob.length);
        }
    }

    public record Built(
            byte[] config, Digest configDigest, byte[] manifest, Digest manifestDigest, List<Layer> layers) {}

    private final Map<String, Object> config = new LinkedHashMap<>();
    private final List<byte[]> layerTars = new ArrayList<>();
    private final List<Layer> rawLayers = new ArrayList<>();

    private TestImage() {
        config.put("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "IMAGE_VAR=from-image"));
        config.put("Cmd", List.of("sh"));
    }

    /** busybox with the default config (Cmd sh); add settings and layers before {@link #build()}. */
    public static TestImage busybox() {
        var t = new TestImage();
        t.layerTars.add(busyboxRootfs());
        return t;
    }

    public TestImage set(String key, Object value) {
        config.put(key, value);
        return this;
    }

    /** Another layer on top: files given as path -> content. */
    public TestImage layer(Map<String, String> files) {
        var tar = new Tar();
        files.forEach((p, c) -> tar.file(p, c.getBytes(StandardCharsets.UTF_8), 0644));
        layerTars.add(tar.bytes());
        return this;
    }

    /** A layer on top whose blob is given as is, with the diff-id the config claims (for damaged or lying layers). */
    public TestImage rawLayer(byte[] blob, Digest diffId) {
        rawLayers.add(new Layer(blob, Digest.of(blob), diffId));
        return this;
    }

    public Built build() {
        var layers = new ArrayList<Layer>();
        for (byte[] tar : layerTars) {
            byte[] gz = gzip(tar);
            layers.add(new Layer(gz, Digest.of(gz), Digest.of(tar)));
        }
        layers.addAll(rawLayers);
        ObjectNode root = JSON.createObjectNode();
        root.put("created", "2025-01-02T03:04:05Z");
        root.put("architecture", Platform.host().architecture());
        root.put("os", "linux");
        root.set("config", JSON.valueToTree(config));
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        layers.forEach(l -> ids.add(l.diffId().toString()));
        byte[] cfg = bytes(root);
        var cfgDesc = new Descriptor(MediaTypes.OCI_CONFIG, Digest.of(cfg), cfg.length);
        byte[] manifest = ManifestWriter.manifest(
                MediaTypes.OCI_MANIFEST,
                cfgDesc,
                layers.stream().map(Layer::descriptor).toList());
        return new Built(cfg, cfgDesc.digest(), manifest, Digest.of(manifest), List.copyOf(layers));
    }

    /** An OCI image layout directory whose index names the image {@code name} (e.g. {@code test/app:1}). */
    public static Path ociLayout(Path dir, Built img, String name) {
        return ociLayout(
                dir,
                img,
                Map.of(
                        "io.containerd.image.name",
                        name,
                        "org.opencontainers.image.ref.name",
                        name.substring(name.lastIndexOf(':') + 1)));
    }

    /** An OCI image layout whose index entry carries only {@code org.opencontainers.image.ref.name}, as skopeo writes it. */
    public static Path ociLayoutRefName(Path dir, Built img, String refName) {
        return ociLayout(dir, img, Map.of("org.opencontainers.image.ref.name", refName));
    }

    private static Path ociLayout(Path dir, Built img, Map<String, String> annotations) {
        write(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        write(dir.resolve("blobs/sha256/" + img.configDigest().hex()), img.config());
        write(dir.resolve("blobs/sha256/" + img.manifestDigest().hex()), img.manifest());
        img.layers().forEach(l -> write(dir.resolve("blobs/sha256/" + l.digest().hex()), l.blob()));
        var d = new Descriptor(
                MediaTypes.OCI_MANIFEST, img.manifestDigest(), img.manifest().length, Platform.host(), annotations);
        write(dir.resolve("index.json"), ManifestWriter.index(MediaTypes.OCI_INDEX, List.of(d)));
        return dir;
    }

    /** The OCI layout as one tar file, as {@code skopeo copy ... oci-archive:} writes it. */
    public static Path ociArchive(Path file, Path layoutDir) {
        var tar = new Tar();
        try (var walk = Files.walk(layoutDir)) {
            for (Path p : walk.sorted().toList()) {
                String rel = layoutDir.relativize(p).toString();
                if (!rel.isEmpty() && Files.isRegularFile(p)) {
                    tar.file(rel, Files.readAllBytes(p), 0644);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(file, tar.bytes());
        return file;
    }

    /** A {@code docker save} archive (legacy layout: &lt;id&gt;/layer.tar, config, manifest.json with RepoTags). */
    public static Path dockerSave(Path file, Built img, List<String> repoTags) {
        var tar = new Tar();
        var layerPaths = new ArrayList<String>();
        for (int i = 0; i < img.layers().size(); i++) {
            String id =
                    Digest.of(("layer-" + i).getBytes(StandardCharsets.UTF_8)).hex();
            tar.dir(id);
            tar.file(id + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8), 0644);
            tar.file(id + "/layer.tar", img.layers().get(i).blob(), 0644);
            layerPaths.add(id + "/layer.tar");
        }
        tar.file(img.configDigest().hex() + ".json", img.config(), 0644);
        ObjectNode entry = JSON.createObjectNode();
        entry.put("Config", img.configDigest().hex() + ".json");
        entry.set("RepoTags", JSON.valueToTree(repoTags));
        entry.set("Layers", JSON.valueToTree(layerPaths));
        tar.file("manifest.json", bytes(JSON.createArrayNode().add(entry)), 0644);
        tar.file("repositories", "{}".getBytes(StandardCharsets.UTF_8), 0644);
        write(file, tar.bytes());
        return file;
    }

    /** A plain rootfs tarball (gzip), for {@code image import --rootfs}. */
    public static Path rootfsTarball(Path file) {
        write(file, gzip(busyboxRootfs()));
        return file;
    }

    /** bin/busybox and a link per applet, /etc/passwd and /etc/group, /tmp, /root, /home/app, /srv. */
    public static byte[] busyboxRootfs() {
        return busyboxRootfs(t -> {});
    }

    /** The busybox root file system with more entries, e.g. the device nodes a debootstrap tarball has in /dev. */
    public static byte[] busyboxRootfs(java.util.function.Consumer<Tar> more) {
        Path busybox = Path.of("/bin/busybox");
        var tar = new Tar();
        for (String d : List.of(
                "bin",
                "sbin",
                "usr",
                "usr/bin",
                "usr/sbin",
                "etc",
                "root",
                "home",
                "home/app",
                "srv",
                "proc",
                "sys",
                "dev",
                "var")) {
            tar.dir(d);
        }
        tar.dirMode("tmp", 01777);
        try {
            tar.file("bin/busybox", Files.readAllBytes(busybox), 0755);
            var list = new ProcessBuilder(busybox.toString(), "--list-full")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            list.waitFor();
            for (String applet : out.lines().toList()) {
                if (!applet.isBlank() && !applet.equals("bin/busybox")) {
                    tar.symlink(applet, "/bin/busybox");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + busybox + " (apt-get install busybox-static)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        tar.file(
                "etc/passwd",
                "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n"
                        .getBytes(StandardCharsets.UTF_8),
                0644);
        tar.file("etc/group", "root:x:0:\napp:x:1000:\nextra:x:2000:app\n".getBytes(StandardCharsets.UTF_8), 0644);
        more.accept(tar);
        return tar.bytes();
    }

    public static byte[] gzip(byte[] data) {
        var bout = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(bout)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bout.toByteArray();
    }

    static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, byte[] content) {
        try {
            Files.createDirectories(p.toAbsolutePath().getParent());
            Files.write(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small tar writer; entries are root-owned. */
    public static final class Tar {
        private final ByteArrayOutputStream bout = new ByteArrayOutputStream();
        private final TarArchiveOutputStream out = new TarArchiveOutputStream(bout);

        public Tar() {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        public Tar dir(String path) {
            return dirMode(path, 0755);
        }

        public Tar dirMode(String path, int mode) {
            var e = new TarArchiveEntry(path + "/");
            e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & 0170000 | mode);
            return put(e, null);
        }

        public Tar file(String path, byte[] content, int mode) {
            var e = new TarArchiveEntry(path);
            e.setMode(0100000 | mode);
            e.setSize(content.length);
            return put(e, content);
        }

        public Tar hardlink(String path, String target) {
            var e = new TarArchiveEntry(path, TarArchiveEntry.LF_LINK);
            e.setLinkName(target);
            return put(e, null);
        }

        public Tar charDevice(String path, int major, int minor) {
            var e = new TarArchiveEntry(path, TarArchiveEntry.LF_CHR);
            e.setDevMajor(major);
            e.setDevMinor(minor);
            e.setMode(0020666);
            return put(e, null);
        }

        /** A regular file whose name is kept exactly as given (absolute, with ..), as a hostile archive has it. */
        public Tar rawFile(String path, byte[] content) {
            var e = new TarArchiveEntry(path, true);
            e.setMode(0100644);
            e.setSize(content.length);
            return put(e, content);
        }

        public Tar symlink(String path, String target) {
            var e = new TarArchiveEntry(path, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(target);
            return put(e, null);
        }

        private Tar put(TarArchiveEntry e, byte[] content) {
            try {
                e.setUserId(0);
                e.setGroupId(0);
                out.putArchiveEntry(e);
                if (content != null) {
                    out.write(content);
                }
                out.closeArchiveEntry();
                return this;
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        public byte[] bytes() {
            try {
                out.finish();
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bout.toByteArray();
        }
    }
}
