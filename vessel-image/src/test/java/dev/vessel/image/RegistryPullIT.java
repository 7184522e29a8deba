package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.ProcessRunner;
import dev.vessel.image.TestImages.Built;
import dev.vessel.image.TestImages.Packing;
import dev.vessel.image.manifest.ManifestWriter;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.LayerRef;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.image.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from Debian's real registry ({@code docker-registry serve}) an image pushed by the test: a busybox-static
 * rootfs layer (gzip) and a zstd layer with a whiteout, as an OCI manifest, behind an OCI index, and as a Docker
 * schema 2 manifest behind a Docker manifest list.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class RegistryPullIT {
    static final String NAME = "vessel/busybox";

    @TempDir
    static Path dir;

    static RealRegistry registry;
    static Built oci;
    static Built docker;

    @BeforeAll
    static void startRegistryAndPush() throws Exception {
        registry = new RealRegistry(dir);
        byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
        byte[] base = new TarBuilder()
                .dir("bin")
                .file("bin/busybox", busybox, 0755, 0, 0)
                .symlink("bin/sh", "busybox")
                .symlink("bin/echo", "busybox")
                .dir("etc")
                .file("etc/motd", "welcome")
                .file("etc/obsolete", "old")
                .tar();
        byte[] top = new TarBuilder()
                .file("etc/.wh.obsolete", "")
                .file("etc/release", "vessel 1")
                .tar();
        oci = TestImages.image(TestImages.layer(base, Packing.GZIP), TestImages.layer(top, Packing.ZSTD));
        registry.push(NAME, "oci", oci, MediaTypes.OCI_MANIFEST);
        byte[] index = ManifestWriter.index(MediaTypes.OCI_INDEX, List.of(oci.descriptor(Platform.host(), Map.of())));
        registry.pushManifest(NAME, "multi", index, MediaTypes.OCI_INDEX);

        docker = dockerFlavour(TestImages.layer(base, Packing.GZIP), TestImages.layer(top, Packing.GZIP));
        registry.push(NAME, "docker", docker, MediaTypes.DOCKER_MANIFEST);
        byte[] list = ManifestWriter.index(
                MediaTypes.DOCKER_MANIFEST_LIST,
                List.of(new Descriptor(
                        MediaTypes.DOCKER_MANIFEST,
                        docker.manifestDigest(),
                        docker.manifest().length,
                        Platform.host(),
                        Map.of())));
        registry.pushManifest(NAME, "docker-list", list, MediaTypes.DOCKER_MANIFEST_LIST);
    }

    /** The same image with Docker's media types, as docker push writes it. */
    static Built dockerFlavour(TestImages.Layer... gzipLayers) {
        Built plain = TestImages.image(gzipLayers);
        List<Descriptor> layers = List.of(gzipLayers).stream()
                .map(l -> new Descriptor(MediaTypes.DOCKER_LAYER_GZIP, l.digest(), l.blob().length))
                .toList();
        byte[] manifest = ManifestWriter.manifest(
                MediaTypes.DOCKER_MANIFEST,
                new Descriptor(MediaTypes.DOCKER_CONFIG, plain.configDigest(), plain.config().length),
                layers);
        return new Built(plain.config(), plain.configDigest(), manifest, Digest.of(manifest), plain.layers());
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    String ref(String tagOrDigest) {
        return registry.host + "/" + NAME + tagOrDigest;
    }

    @Test
    void anOciImageBehindAnIndexIsPulledUnpackedAndRunnable(@TempDir Path store) {
        OciImageStore images = OciImageStore.open(store);
        List<LayerProgress> events = new CopyOnWriteArrayList<>();

        ImageInfo info = images.pull(ref(":multi"), events::add);

        assertThat(info.references()).containsExactly(ref(":multi"));
        assertThat(info.image().manifestDigest()).isEqualTo(oci.manifestDigest());
        assertThat(info.image().layers())
                .extracting(LayerRef::mediaType)
                .containsExactly(MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_ZSTD);
        assertThat(info.image().config().entrypoint()).containsExactly("/bin/sh", "-c");
        List<Path> layers = images.layerDirs(ref(":multi"));
        assertThat(layers.get(0).resolve("bin/busybox")).isRegularFile().isExecutable();
        Path rootfs = images.flatten(ref(":multi"), store.resolve("rootfs"));
        assertThat(rootfs.resolve("etc/obsolete")).doesNotExist();
        assertThat(rootfs.resolve("etc/release")).hasContent("vessel 1");
        assertThat(new ProcessRunner()
                        .run(
                                Duration.ofSeconds(10),
                                rootfs.resolve("bin/busybox").toString(),
                                "echo",
                                "alive")
                        .stdout())
                .isEqualToIgnoringNewLines("alive");
        assertThat(events)
                .filteredOn(e -> e.phase() == LayerProgress.Phase.DONE)
                .hasSize(2);
    }

    @Test
    void theSharedLayerDirsMountAsOverlayLowerDirsWithTheWhiteoutApplied(@TempDir Path store) throws Exception {
        OciImageStore images = OciImageStore.open(store);
        List<Path> layers = images.layerDirs(
                images.pull(ref(":oci"), ProgressListener.NONE).references().getFirst());
        Path merged = Files.createDirectories(store.resolve("merged"));
        Path upper = Files.createDirectories(store.resolve("upper"));
        Path work = Files.createDirectories(store.resolve("work"));
        ProcessRunner host = new ProcessRunner();
        // overlayfs lists lower dirs top first.
        host.run(
                Duration.ofSeconds(10),
                "mount",
                "-t",
                "overlay",
                "overlay",
                "-o",
                "lowerdir=" + layers.get(1) + ":" + layers.get(0) + ",upperdir=" + upper + ",workdir=" + work,
                merged.toString());
        try {
            assertThat(merged.resolve("etc/motd")).hasContent("welcome");
            assertThat(merged.resolve("etc/release")).hasContent("vessel 1");
            assertThat(merged.resolve("etc/obsolete")).doesNotExist();
            assertThat(host.run(
                                    Duration.ofSeconds(10),
                                    merged.resolve("bin/busybox").toString(),
                                    "echo",
                                    "from overlay")
                            .stdout())
                    .isEqualToIgnoringNewLines("from overlay");
        } finally {
            host.run(Duration.ofSeconds(10), "umount", merged.toString());
        }
    }

    @Test
    void aDockerSchema2ImageBehindAManifestListIsPulled(@TempDir Path store) {
        OciImageStore images = OciImageStore.open(store);

        ImageInfo info = images.pull(ref(":docker-list"), ProgressListener.NONE);

        assertThat(info.image().manifestMediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
        assertThat(info.image().manifestDigest()).isEqualTo(docker.manifestDigest());
        assertThat(images.flatten(ref(":docker-list"), store.resolve("rootfs")).resolve("bin/busybox"))
                .isExecutable();
    }

    @Test
    void anImageIsPulledByDigest(@TempDir Path store) {
        ImageInfo info = OciImageStore.open(store).pull(ref("@" + oci.manifestDigest()), ProgressListener.NONE);

        assertThat(info.references()).containsExactly(ref("@" + oci.manifestDigest()));
    }

    @Test
    void anUnknownTagGivesTheClearMessage(@TempDir Path store) {
        assertThatThrownBy(() -> OciImageStore.open(store).pull(ref(":nope"), ProgressListener.NONE))
                .isInstanceOf(VesselException.class)
                .hasMessage("manifest unknown: tag 'nope' not found in '" + registry.host + "/" + NAME + "'")
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.NOT_FOUND));
    }

    @Test
    void anUnknownRepositoryIsReportedAsNotFound(@TempDir Path store) {
        assertThatThrownBy(
                        () -> OciImageStore.open(store).pull(registry.host + "/nobody/here:1", ProgressListener.NONE))
                .isInstanceOf(VesselException.class)
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.NOT_FOUND))
                .hasMessageContaining("nobody/here");
    }
}
