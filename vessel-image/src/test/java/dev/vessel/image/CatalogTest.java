package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.image.TestImages.Built;
import dev.vessel.image.TestImages.Packing;
import dev.vessel.image.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
    @TempDir
    Path base;

    static final byte[] SHARED = new TarBuilder().file("shared", "s").tar();
    static final byte[] ONLY_A = new TarBuilder().file("a", "a").tar();
    static final byte[] ONLY_B = new TarBuilder().file("b", "b").tar();

    OciImageStore storeWithTwoImagesSharingALayer() {
        Built a = TestImages.image(TestImages.layer(SHARED, Packing.GZIP), TestImages.layer(ONLY_A, Packing.GZIP));
        Built b = TestImages.image(TestImages.layer(SHARED, Packing.GZIP), TestImages.layer(ONLY_B, Packing.ZSTD));
        OciImageStore store = OciImageStore.open(base.resolve("store"));
        store.load(
                TarBuilder.write(base.resolve("a.tar"), TestImages.dockerSave(a, List.of("app/a:1", "app/a:latest"))));
        store.load(TarBuilder.write(base.resolve("b.tar"), TestImages.dockerSave(b, List.of("app/b:1"))));
        return store;
    }

    @Test
    void listShowsEveryImageWithItsReferences() {
        OciImageStore store = storeWithTwoImagesSharingALayer();

        assertThat(store.list())
                .extracting(ImageInfo::references)
                .containsExactlyInAnyOrder(List.of("app/a:1", "app/a:latest"), List.of("app/b:1"));
    }

    @Test
    void inspectFindsAnImageByNameByIdAndByIdPrefix() {
        OciImageStore store = storeWithTwoImagesSharingALayer();
        Digest id = store.inspect("app/b:1").id();

        assertThat(store.inspect(id.toString()).id()).isEqualTo(id);
        assertThat(store.inspect(id.hex().substring(0, 12)).id()).isEqualTo(id);
        assertThat(store.inspect("app/a").references()).containsExactly("app/a:1", "app/a:latest");
        assertThatThrownBy(() -> store.inspect("app/c:1"))
                .isInstanceOf(VesselException.class)
                .hasMessage("image 'app/c:1' not found")
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.NOT_FOUND));
    }

    @Test
    void removingOneOfTwoTagsKeepsTheImage() {
        OciImageStore store = storeWithTwoImagesSharingALayer();

        RemoveResult r = store.remove("app/a:latest");

        assertThat(r.untagged()).isEqualTo("app/a:latest");
        assertThat(r.deleted()).isNull();
        assertThat(store.inspect("app/a:1").references()).containsExactly("app/a:1");
    }

    @Test
    void removingTheLastTagRemovesTheImageAndGcFreesOnlyWhatNothingElseUses() {
        OciImageStore store = storeWithTwoImagesSharingALayer();
        Digest b = store.inspect("app/b:1").id();

        store.remove("app/b:1");
        GcResult gc = store.gc();

        assertThat(store.list()).extracting(ImageInfo::references).containsExactly(List.of("app/a:1", "app/a:latest"));
        assertThat(gc.layersRemoved()).isEqualTo(1);
        assertThat(gc.blobsRemoved()).isEqualTo(3); // b's manifest, config and its own layer blob
        assertThat(base.resolve("store/layers/" + Digest.of(ONLY_B).hex())).doesNotExist();
        assertThat(base.resolve("store/layers/" + Digest.of(SHARED).hex())).isDirectory();
        assertThat(store.blobs().contains(b)).isFalse();
        assertThat(store.flatten("app/a:1", base.resolve("rootfs")).resolve("shared"))
                .hasContent("s");
    }

    @Test
    void removingByIdRemovesEveryReference() {
        OciImageStore store = storeWithTwoImagesSharingALayer();
        Digest a = store.inspect("app/a:1").id();

        RemoveResult r = store.remove(a.hex().substring(0, 8));

        assertThat(r.deleted()).isEqualTo(a);
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void theCatalogueSurvivesReopeningTheStore() {
        storeWithTwoImagesSharingALayer().remove("app/a:latest");

        OciImageStore reopened = OciImageStore.open(base.resolve("store"));

        assertThat(reopened.list())
                .extracting(ImageInfo::references)
                .containsExactlyInAnyOrder(List.of("app/a:1"), List.of("app/b:1"));
        assertThat(reopened.inspect("app/b:1").image().config().cmd()).containsExactly("echo $GREETING");
    }

    @Test
    void reimportingATagMovesItAndTheOldImageGoesWhenNothingNamesIt() throws Exception {
        OciImageStore store = OciImageStore.open(base.resolve("store"));
        Digest first = store.importRootfs(TarBuilder.write(base.resolve("1.tar"), ONLY_A), "app:dev")
                .id();

        Digest second = store.importRootfs(TarBuilder.write(base.resolve("2.tar"), ONLY_B), "app:dev")
                .id();

        assertThat(second).isNotEqualTo(first);
        assertThat(store.list()).extracting(ImageInfo::id).containsExactly(second);
        assertThat(store.gc().layersRemoved()).isEqualTo(1);
    }

    @Test
    void gcRemovesLeftoversOfAnInterruptedOperation() throws Exception {
        OciImageStore store = storeWithTwoImagesSharingALayer();
        Path debris = Files.createDirectories(base.resolve("store/tmp/dead-op/layer-x"));
        Files.writeString(debris.resolve("f"), "half");

        store.gc();

        assertThat(base.resolve("store/tmp")).isEmptyDirectory();
    }

    @Test
    void importNeedsATagNotADigest() {
        OciImageStore store = OciImageStore.open(base.resolve("store"));

        assertThatThrownBy(() -> store.importRootfs(base.resolve("x.tar"), "app@sha256:" + "a".repeat(64)))
                .hasMessageContaining("an import needs name:tag");
    }
}
