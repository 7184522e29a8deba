package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.LayerProgress.Phase;
import dev.vessel.image.TestImages.Built;
import dev.vessel.image.TestImages.Packing;
import dev.vessel.image.manifest.ManifestWriter;
import dev.vessel.image.oci.Descriptor;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.MediaTypes;
import dev.vessel.image.oci.Platform;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls against a registry faked in the test with the JDK HTTP server, on loopback. */
class PullTest {
    @TempDir
    Path base;

    FakeRegistry registry;
    OciImageStore store;
    Built img;
    final List<LayerProgress> events = new CopyOnWriteArrayList<>();

    static final byte[] LOWER = new TarBuilder()
            .dir("bin")
            .file("bin/tool", "v1")
            .file("bin/old", "o")
            .tar();
    static final byte[] UPPER =
            new TarBuilder().file("bin/tool", "v2").file("bin/.wh.old", "").tar();

    @BeforeEach
    void publishAnImageBehindAManifestList() throws Exception {
        registry = new FakeRegistry();
        img = TestImages.image(TestImages.layer(LOWER, Packing.GZIP), TestImages.layer(UPPER, Packing.ZSTD));
        Built foreign = TestImages.image(
                TestImages.layer(new TarBuilder().file("arm", "a").tar(), Packing.GZIP));
        registry.push("team/app", "untagged-host", img);
        registry.push("team/app", "untagged-foreign", foreign);
        Platform other = Platform.linux(Platform.host().architecture().equals("arm64") ? "amd64" : "arm64");
        byte[] list = ManifestWriter.index(
                MediaTypes.DOCKER_MANIFEST_LIST,
                List.of(
                        foreign.descriptor(other, Map.of()),
                        new Descriptor(
                                MediaTypes.OCI_MANIFEST,
                                Digest.of("attestation".getBytes()),
                                11,
                                new Platform("unknown", "unknown", null),
                                Map.of()),
                        img.descriptor(Platform.host(), Map.of())));
        registry.putManifest("team/app", "1.0", list, MediaTypes.DOCKER_MANIFEST_LIST);
        store = OciImageStore.open(base.resolve("store"));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    String ref(String tag) {
        return registry.host() + "/team/app" + tag;
    }

    @Test
    void anImageIsPulledThroughItsManifestListWithTheBearerTokenFlow() throws Exception {
        registry.requireToken = true;

        ImageInfo info = store.pull(ref(":1.0"), events::add);

        assertThat(info.references()).containsExactly(ref(":1.0"));
        assertThat(info.id()).isEqualTo(img.configDigest());
        assertThat(info.image().manifestDigest()).isEqualTo(img.manifestDigest());
        assertThat(info.image().config().workingDir()).isEqualTo("/srv");
        assertThat(store.layerDirs(ref(":1.0")).get(1).resolve("bin/tool")).hasContent("v2");
        Path rootfs = store.flatten(ref(":1.0"), base.resolve("rootfs"));
        assertThat(rootfs.resolve("bin/tool")).hasContent("v2");
        assertThat(rootfs.resolve("bin/old")).doesNotExist();
        // One token, reused for every request after the first 401.
        assertThat(registry.requests)
                .filteredOn(r -> r.path().startsWith("/token"))
                .hasSize(1);
        assertThat(registry.requests)
                .filteredOn(r -> r.path().contains("/blobs/"))
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + FakeRegistry.TOKEN));
    }

    @Test
    void progressReportsEachLayerFromWaitingToDone() {
        store.pull(ref(":1.0"), events::add);

        Map<String, List<Phase>> byLayer = events.stream()
                .collect(Collectors.groupingBy(
                        LayerProgress::id, Collectors.mapping(LayerProgress::phase, Collectors.toList())));
        assertThat(byLayer)
                .containsOnlyKeys(
                        img.layers().stream().map(l -> l.digest().shortId()).toArray(String[]::new));
        byLayer.values().forEach(phases -> {
            assertThat(phases.getFirst()).isEqualTo(Phase.WAITING);
            assertThat(phases).contains(Phase.DOWNLOADING, Phase.VERIFYING, Phase.EXTRACTING);
            assertThat(phases.getLast()).isEqualTo(Phase.DONE);
        });
        assertThat(events)
                .filteredOn(e -> e.phase() == Phase.DONE)
                .allSatisfy(
                        e -> assertThat(e.bytesDone()).isEqualTo(e.bytesTotal()).isPositive());
    }

    @Test
    void pullingAgainDownloadsNoLayer() {
        store.pull(ref(":1.0"), events::add);
        int blobRequests = (int) registry.requests.stream()
                .filter(r -> r.path().contains("/blobs/"))
                .count();
        events.clear();

        store.pull(ref(":1.0"), events::add);

        assertThat(registry.requests.stream()
                        .filter(r -> r.path().contains("/blobs/"))
                        .count())
                .isEqualTo(blobRequests);
        assertThat(events)
                .filteredOn(e -> e.phase() != Phase.WAITING)
                .extracting(LayerProgress::phase)
                .containsOnly(Phase.DONE);
    }

    @Test
    void aPullByDigestIsRecordedUnderTheDigest() {
        ImageInfo info = store.pull(ref("@" + img.manifestDigest()), ProgressListener.NONE);

        assertThat(info.references()).containsExactly(ref("@" + img.manifestDigest()));
    }

    @Test
    void anUnknownTagGivesAClearNotFound() {
        assertThatThrownBy(() -> store.pull(ref(":nope"), ProgressListener.NONE))
                .isInstanceOf(VesselException.class)
                .hasMessage("manifest unknown: tag 'nope' not found in '" + registry.host() + "/team/app'")
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.NOT_FOUND));
    }

    @Test
    void aRefusedTokenGivesUnauthorized() {
        registry.requireToken = true;
        registry.refuseTokens = true;

        assertThatThrownBy(() -> store.pull(ref(":1.0"), ProgressListener.NONE))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("refused a token for 'repository:team/app:pull' (401)")
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.UNAUTHORIZED));
    }

    @Test
    void aBlobThatDoesNotMatchItsDigestFailsThePullAndStoresNothing() {
        registry.blobs.put(img.layers().get(1).digest(), TarBuilder.zstd(LOWER));
        var before = Snapshot.of(base.resolve("store"));

        assertThatThrownBy(() -> store.pull(ref(":1.0"), ProgressListener.NONE))
                .hasMessageContaining("layer 2 (" + img.layers().get(1).digest().shortId() + ")")
                .hasMessageContaining("bad digest");
        assertThat(Snapshot.of(base.resolve("store"))).isEqualTo(before);
    }

    @Test
    void blobRedirectsAreFollowedWithoutSendingTheTokenToTheOtherHost() {
        registry.requireToken = true;
        registry.redirectBlobs = true;

        store.pull(ref(":1.0"), ProgressListener.NONE);

        assertThat(registry.storageRequests)
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void anUnreachableRegistryIsReportedAsUnavailable() throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String dead = "127.0.0.1:" + port + "/x:1";

        assertThatThrownBy(() -> store.pull(dead, ProgressListener.NONE))
                .hasMessageContaining("cannot reach registry 127.0.0.1:" + port)
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.UNAVAILABLE));
    }

    @Test
    void anIndexWithoutThisPlatformIsRefusedNamingWhatItHas() {
        registry.putManifest(
                "team/app",
                "armonly",
                ManifestWriter.index(
                        MediaTypes.OCI_INDEX, List.of(img.descriptor(new Platform("linux", "s390x", null), Map.of()))),
                MediaTypes.OCI_INDEX);

        assertThatThrownBy(() -> store.pull(ref(":armonly"), ProgressListener.NONE))
                .hasMessageContaining("has no image for " + Platform.host())
                .hasMessageContaining("linux/s390x");
    }

    @Test
    void twoConcurrentPullsOfTheSameImageBothSucceedAndShareEverything() throws Exception {
        ImageInfo a;
        ImageInfo b;
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var first = pool.submit(() -> store.pull(ref(":1.0"), ProgressListener.NONE));
            var second = pool.submit(() -> store.pull(ref(":1.0"), ProgressListener.NONE));
            a = first.get();
            b = second.get();
        }

        assertThat(a.id()).isEqualTo(b.id());
        assertThat(store.list()).hasSize(1);
        assertThat(base.resolve("store/layers"))
                .isDirectoryContaining(
                        p -> p.getFileName().toString().equals(Digest.of(UPPER).hex()));
        assertThat(base.resolve("store/tmp")).isEmptyDirectory();
    }

    @Test
    void anArtifactThatIsNotAContainerImageIsRefused() {
        byte[] helm = ManifestWriter.manifest(
                MediaTypes.OCI_MANIFEST,
                new Descriptor("application/vnd.cncf.helm.config.v1+json", img.configDigest(), img.config().length),
                List.of());
        registry.putManifest("team/app", "chart", helm, MediaTypes.OCI_MANIFEST);

        assertThatThrownBy(() -> store.pull(ref(":chart"), ProgressListener.NONE))
                .hasMessageContaining(
                        "not a container image but an artifact with config type 'application/vnd.cncf.helm.config.v1+json'");
    }
}
