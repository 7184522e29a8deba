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

/** Names per namespace (a project's), content shared: what one namespace does to its names leaves the others' be. */
class NamespacesTest {
    @TempDir
    Path base;

    static final byte[] LAYER = new TarBuilder().file("hello", "world").tar();
    static final byte[] OTHER = new TarBuilder().file("other", "x").tar();

    Path archive(String file, byte[] layer, String... tags) {
        Built b = TestImages.image(TestImages.layer(layer, Packing.GZIP));
        return TarBuilder.write(base.resolve(file), TestImages.dockerSave(b, List.of(tags)));
    }

    OciImageStore open() {
        return OciImageStore.open(base.resolve("store"));
    }

    static NotFound notFound() {
        return new NotFound();
    }

    static final class NotFound implements org.assertj.core.api.ThrowingConsumer<Throwable> {
        @Override
        public void acceptThrows(Throwable e) {
            assertThat(e).isInstanceOf(VesselException.class);
            assertThat(((VesselException) e).type()).isEqualTo(ProblemType.NOT_FOUND);
        }
    }

    @Test
    void anImageOfOneNamespaceIsInvisibleInAnotherAndTheSameNameCanNameAnotherImageThere() {
        var store = open();
        Digest dev = store.load("dev", archive("a.tar", LAYER, "app:1"), ProgressListener.NONE, null)
                .getFirst()
                .id();
        Digest plain = store.load(archive("b.tar", OTHER, "app:1")).getFirst().id();

        assertThat(store.list("dev")).extracting(ImageInfo::id).containsExactly(dev);
        assertThat(store.list()).extracting(ImageInfo::id).containsExactly(plain);
        assertThat(store.inspect("dev", "app:1").id()).isEqualTo(dev);
        assertThat(store.inspect("app:1").id()).isEqualTo(plain);
        assertThat(store.list("prod")).isEmpty();
        // Not by its id either, from the other namespace: ids are found among the namespace's own images.
        assertThatThrownBy(() -> store.inspect(dev.toString())).satisfies(notFound());
        assertThatThrownBy(() -> store.inspect("dev", plain.hex().substring(0, 12)))
                .satisfies(notFound());
        // A container pins its image by id, whichever namespace holds it.
        assertThat(store.layerDirs(dev.toString())).hasSize(1);
        assertThat(store.namespaces()).containsExactlyInAnyOrder("default", "dev");
    }

    @Test
    void theSameImageInTwoNamespacesIsStoredOnceAndGoesWithTheLastOneThatHoldsIt() throws Exception {
        var store = open();
        Path a = archive("a.tar", LAYER, "app:1");
        Digest id = store.load(a).getFirst().id();
        assertThat(store.load("dev", a, ProgressListener.NONE, null).getFirst().id())
                .isEqualTo(id);
        long blobs;
        try (var s = Files.list(base.resolve("store/blobs/sha256"))) {
            blobs = s.count();
        }
        assertThat(blobs).isEqualTo(3); // manifest, config, one layer: once for both

        var gone = store.remove("dev", "app:1");
        assertThat(gone.untagged()).isEqualTo("app:1");
        assertThat(gone.deleted()).as("default still holds it").isNull();
        assertThat(store.list("dev")).isEmpty();
        assertThat(store.inspect("app:1").id()).isEqualTo(id);
        assertThat(store.gc().blobsRemoved()).isZero();

        assertThat(store.remove("app:1").deleted()).isEqualTo(id);
        assertThat(store.gc().blobsRemoved()).isEqualTo(3);
    }

    @Test
    void untaggingAndRetaggingKeepTheImageInItsNamespaceWithoutAName() {
        var store = open();
        Digest first = store.importRootfs(
                        "dev", TarBuilder.write(base.resolve("1.tar"), LAYER), "app:1", ProgressListener.NONE)
                .id();
        store.untag("dev", "app:1");
        assertThat(store.list("dev")).singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo(first);
            assertThat(i.references()).isEmpty();
        });
        assertThat(store.list()).isEmpty();
        store.tag("dev", first.hex().substring(0, 12), "app:2");
        Digest second = store.importRootfs(
                        "dev", TarBuilder.write(base.resolve("2.tar"), OTHER), "app:3", ProgressListener.NONE)
                .id();
        store.tag("dev", "app:3", "app:2");
        assertThat(store.list("dev")).extracting(ImageInfo::id).containsExactlyInAnyOrder(first, second);
        assertThat(store.inspect("dev", first.toString()).references()).isEmpty();
        assertThatThrownBy(() -> store.tag("dev", "app:9", "x:1")).satisfies(notFound());
        assertThatThrownBy(() -> store.tag("app:3", "x:1")).satisfies(notFound());
    }

    @Test
    void namesPerNamespaceSurviveReopeningAndAStoreFromBeforeNamespacesIsTheDefaultNamespacesAsItWas()
            throws Exception {
        var store = open();
        store.load(archive("a.tar", LAYER, "app:1"));
        store.load("dev", archive("b.tar", OTHER, "dev/app:1"), ProgressListener.NONE, null);
        var reopened = open();
        assertThat(reopened.list()).flatExtracting(ImageInfo::references).containsExactly("app:1");
        assertThat(reopened.list("dev")).flatExtracting(ImageInfo::references).containsExactly("dev/app:1");

        // A store written before namespaces: refs.json and the records, no namespaces.json.
        Path old = base.resolve("old");
        var legacy = OciImageStore.open(old);
        legacy.load(archive("c.tar", LAYER, "app:1", "app:latest"));
        legacy.untag("app:latest");
        Files.delete(old.resolve("catalog/namespaces.json"));
        String refs = Files.readString(old.resolve("catalog/refs.json"));
        assertThat(refs).contains("\"version\" : 1").contains("app:1");

        var upgraded = OciImageStore.open(old);
        assertThat(upgraded.list())
                .singleElement()
                .satisfies(i -> assertThat(i.references()).containsExactly("app:1"));
        assertThat(upgraded.list("dev")).isEmpty();
        assertThat(upgraded.remove("app:1").deleted()).isNotNull();
        assertThat(OciImageStore.open(old).list()).isEmpty();
    }
}
