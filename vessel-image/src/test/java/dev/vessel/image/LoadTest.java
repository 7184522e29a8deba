package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.image.TestImages.Built;
import dev.vessel.image.TestImages.Packing;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageConfig;
import dev.vessel.image.oci.LayerRef;
import dev.vessel.image.oci.MediaTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadTest {
    @TempDir
    Path base;

    static final byte[] BASE_LAYER =
            new TarBuilder().dir("bin").file("bin/sh", "#!").dir("srv").tar();
    static final byte[] APP_LAYER =
            new TarBuilder().dir("srv").file("srv/app.txt", "app").tar();

    @Test
    void aLegacyDockerSaveArchiveLoadsWithItsTagsConfigAndLayers() {
        // The base layer appears twice, as in images with repeated empty layers; the second copy is a symlink.
        Built img = TestImages.image(
                TestImages.layer(BASE_LAYER, Packing.TAR),
                TestImages.layer(APP_LAYER, Packing.TAR),
                TestImages.layer(BASE_LAYER, Packing.TAR));
        Path archive = TarBuilder.write(
                base.resolve("save.tar"), TestImages.dockerSave(img, List.of("vessel/app:1.0", "vessel/app:latest")));
        OciImageStore store = OciImageStore.open(base.resolve("store"));

        List<ImageInfo> loaded = store.load(archive);

        assertThat(loaded).singleElement().satisfies(i -> {
            assertThat(i.references()).containsExactly("vessel/app:1.0", "vessel/app:latest");
            assertThat(i.id()).isEqualTo(img.configDigest());
            assertThat(i.image().layers())
                    .extracting(LayerRef::diffId)
                    .containsExactly(Digest.of(BASE_LAYER), Digest.of(APP_LAYER), Digest.of(BASE_LAYER));
        });
        ImageConfig c = store.inspect("vessel/app").image().config();
        assertThat(c.env()).containsExactly("PATH=/usr/bin:/bin", "GREETING=hello");
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(c.cmd()).containsExactly("echo $GREETING");
        assertThat(c.workingDir()).isEqualTo("/srv");
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.stopSignal()).isEqualTo("SIGTERM");
        assertThat(c.exposedPorts()).containsExactly("8080/tcp");
        assertThat(c.labels()).isEqualTo(Map.of("org.example.team", "vessel"));
        assertThat(store.layerDirs("vessel/app:1.0").get(1).resolve("srv/app.txt"))
                .hasContent("app");
        // The generated manifest is a real stored blob.
        assertThat(store.blobs()
                        .contains(store.inspect("vessel/app:1.0").image().manifestDigest()))
                .isTrue();
        // Extra archive files (VERSION, repositories, manifest.json) are not kept as blobs.
        assertThat(store.blobs().list()).hasSize(2 + 2);
    }

    @Test
    void anOciLayoutDirectoryLoadsTheHostPlatformImageFromANestedIndex() {
        Built img =
                TestImages.image(TestImages.layer(BASE_LAYER, Packing.GZIP), TestImages.layer(APP_LAYER, Packing.ZSTD));
        Built other = TestImages.image(
                TestImages.layer(new TarBuilder().file("arm", "a").tar(), Packing.GZIP));
        Path layout = TestImages.ociLayout(base.resolve("layout"), img, other, "docker.io/library/app:3");
        OciImageStore store = OciImageStore.open(base.resolve("store"));

        List<ImageInfo> loaded = store.load(layout);

        assertThat(loaded).singleElement().satisfies(i -> {
            assertThat(i.references()).containsExactly("app:3");
            assertThat(i.image().manifestDigest()).isEqualTo(img.manifestDigest());
            assertThat(i.image().layers())
                    .extracting(LayerRef::mediaType)
                    .containsExactly(MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_ZSTD);
        });
        assertThat(store.blobs().contains(other.manifestDigest())).isFalse();
    }

    @Test
    void anOciLayoutPackedAsAGzippedTarLoadsToo() throws Exception {
        Built img = TestImages.image(TestImages.layer(APP_LAYER, Packing.GZIP));
        Built other = TestImages.image(TestImages.layer(BASE_LAYER, Packing.GZIP));
        Path dir = TestImages.ociLayout(base.resolve("layout"), img, other, "registry.example:5000/x/app:9");
        TarBuilder t = new TarBuilder();
        try (var s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                t.file(dir.relativize(p).toString(), Files.readAllBytes(p), 0644, 0, 0);
            }
        }
        Path archive = TarBuilder.write(base.resolve("layout.tar.gz"), TarBuilder.gzip(t.tar()));

        assertThat(OciImageStore.open(base.resolve("store")).load(archive))
                .singleElement()
                .satisfies(i -> assertThat(i.references()).containsExactly("registry.example:5000/x/app:9"));
    }

    @Test
    void aLayerBlobThatDoesNotMatchItsDigestIsRefusedAndNothingIsStored() throws Exception {
        Built img = TestImages.image(TestImages.layer(APP_LAYER, Packing.GZIP));
        Built other = TestImages.image(TestImages.layer(BASE_LAYER, Packing.GZIP));
        Path layout = TestImages.ociLayout(base.resolve("layout"), img, other, "example.com/app:1");
        Files.write(
                layout.resolve(
                        "blobs/sha256/" + img.layers().getFirst().digest().hex()),
                TarBuilder.gzip(BASE_LAYER));
        OciImageStore store = OciImageStore.open(base.resolve("store"));
        var before = Snapshot.of(base.resolve("store"));

        assertThatThrownBy(() -> store.load(layout)).hasMessageContaining("bad digest");
        assertThat(Snapshot.of(base.resolve("store"))).isEqualTo(before);
    }

    @Test
    void aLayerWhoseContentDoesNotMatchTheConfigDiffIdIsRefusedAndNothingIsStored() {
        TestImages.Layer layer = TestImages.layer(APP_LAYER, Packing.GZIP);
        Built img = TestImages.image(List.of(layer), List.of(Digest.of(BASE_LAYER)));
        Built other = TestImages.image(TestImages.layer(BASE_LAYER, Packing.GZIP));
        Path layout = TestImages.ociLayout(base.resolve("layout"), img, other, "example.com/app:1");
        OciImageStore store = OciImageStore.open(base.resolve("store"));
        var before = Snapshot.of(base.resolve("store"));

        assertThatThrownBy(() -> store.load(layout))
                .hasMessageContaining("bad digest: the uncompressed layer hashes to " + Digest.of(APP_LAYER))
                .hasMessageContaining("diff_id " + Digest.of(BASE_LAYER));
        assertThat(Snapshot.of(base.resolve("store"))).isEqualTo(before);
    }

    @Test
    void aLegacyConfigWhoseNameIsNotItsDigestIsRefused() {
        Built img = TestImages.image(TestImages.layer(APP_LAYER, Packing.TAR));
        byte[] save = TestImages.dockerSave(
                new Built(
                        ("{\"tampered\":1," + new String(img.config()).substring(1)).getBytes(),
                        img.configDigest(),
                        img.manifest(),
                        img.manifestDigest(),
                        img.layers()),
                List.of("x:1"));
        Path archive = TarBuilder.write(base.resolve("save.tar"), save);

        assertThatThrownBy(() -> OciImageStore.open(base.resolve("store")).load(archive))
                .hasMessageContaining("bad digest");
    }

    @Test
    void anArchiveThatIsNeitherFormatIsRefusedClearly() {
        Path archive = TarBuilder.write(
                base.resolve("x.tar"), new TarBuilder().file("hello.txt", "hi").tar());

        assertThatThrownBy(() -> OciImageStore.open(base.resolve("store")).load(archive))
                .hasMessageContaining("neither a docker save archive nor an OCI image layout");
    }

    @Test
    void aDocker25SaveArchiveWithBothManifestJsonAndAnOciIndexLoadsWithItsRepoTags() throws Exception {
        Built img =
                TestImages.image(TestImages.layer(BASE_LAYER, Packing.TAR), TestImages.layer(APP_LAYER, Packing.TAR));
        Built other = TestImages.image(TestImages.layer(APP_LAYER, Packing.TAR));
        Path dir = TestImages.ociLayout(base.resolve("layout"), img, other, "docker.io/library/ignored:0");
        Files.writeString(
                dir.resolve("manifest.json"),
                "[{\"Config\":\"blobs/sha256/" + img.configDigest().hex()
                        + "\",\"RepoTags\":[\"web:2\"],\"Layers\":[\"blobs/sha256/"
                        + img.layers().get(0).digest().hex()
                        + "\",\"blobs/sha256/" + img.layers().get(1).digest().hex() + "\"]}]");

        List<ImageInfo> loaded = OciImageStore.open(base.resolve("store")).load(dir);

        assertThat(loaded).singleElement().satisfies(i -> {
            assertThat(i.references()).containsExactly("web:2");
            assertThat(i.id()).isEqualTo(img.configDigest());
        });
    }
}
