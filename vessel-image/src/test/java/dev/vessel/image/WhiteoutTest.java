package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.image.TestImages.Packing;
import dev.vessel.image.layer.ExtractOptions;
import dev.vessel.image.layer.LinuxFiles;
import dev.vessel.image.layer.WhiteoutMode;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhiteoutTest {
    @TempDir
    Path base;

    static final byte[] LOWER = new TarBuilder()
            .dir("etc")
            .file("etc/keep", "k")
            .file("etc/gone", "g")
            .dir("opq")
            .file("opq/old1", "o")
            .dir("opq/sub")
            .file("opq/sub/old2", "o")
            .dir("var/cache")
            .file("var/cache/x", "x")
            .tar();
    static final byte[] UPPER = new TarBuilder()
            .file("etc/.wh.gone", "")
            .dir("opq")
            .file("opq/new", "n")
            .file("opq/sub/new2", "n")
            .file("opq/.wh..wh..opq", "") // after entries of its own layer, which it must not hide
            .file(".wh.var", "")
            .file("fresh", "f")
            .file(".wh.fresh", "") // a whiteout never hides its own layer's files
            .tar();

    OciImageStore storeWithTwoLayerImage() {
        return storeWithTwoLayerImage(dev.vessel.image.layer.ExtractOptions.defaults());
    }

    OciImageStore storeWithTwoLayerImage(dev.vessel.image.layer.ExtractOptions extract) {
        TestImages.Built img =
                TestImages.image(TestImages.layer(LOWER, Packing.GZIP), TestImages.layer(UPPER, Packing.ZSTD));
        TestImages.Built other = TestImages.image(
                TestImages.layer(new TarBuilder().file("other", "o").tar(), Packing.TAR));
        OciImageStore store = OciImageStore.open(
                base.resolve("store"), dev.vessel.image.registry.RegistryOptions.defaults(), extract);
        store.load(TestImages.ociLayout(base.resolve("layout"), img, other, "example.com/team/layered:2"));
        return store;
    }

    @Test
    void flatteningAppliesWhiteoutsAndOpaqueDirsOfTheUpperLayer() throws Exception {
        OciImageStore store = storeWithTwoLayerImage();

        Path rootfs = store.flatten("example.com/team/layered:2", base.resolve("rootfs"));

        assertThat(rootfs.resolve("etc/keep")).hasContent("k");
        assertThat(rootfs.resolve("etc/gone")).doesNotExist();
        assertThat(rootfs.resolve("etc/.wh.gone")).doesNotExist();
        assertThat(list(rootfs.resolve("opq"))).containsExactlyInAnyOrder("new", "sub");
        assertThat(list(rootfs.resolve("opq/sub"))).containsExactly("new2");
        assertThat(rootfs.resolve("var")).doesNotExist();
        assertThat(rootfs.resolve("fresh")).hasContent("f");
        assertThat(base)
                .isDirectoryNotContaining(p -> p.getFileName().toString().contains("flatten"));
    }

    @Test
    void inKeepModeLayerDirsHoldTheOciWhiteoutMarkers() {
        OciImageStore store = storeWithTwoLayerImage(new ExtractOptions(false, false, WhiteoutMode.KEEP));

        List<Path> dirs = store.layerDirs("example.com/team/layered:2");

        assertThat(dirs).hasSize(2);
        assertThat(dirs.get(0).resolve("etc/gone")).hasContent("g");
        assertThat(dirs.get(1).resolve("etc/.wh.gone")).exists();
        assertThat(dirs.get(1).resolve("opq/.wh..wh..opq")).exists();
        assertThat(dirs.get(1).resolve("opq/old1")).doesNotExist();
    }

    @Test
    void inOverlayModeLayerDirsHoldOverlayWhiteoutDevicesAndOpaqueAttributes() throws Exception {
        assumeTrue(ExtractOptions.runningAsRoot(), "overlay whiteouts need root");
        OciImageStore store = storeWithTwoLayerImage(new ExtractOptions(false, true, WhiteoutMode.OVERLAY));

        Path upper = store.layerDirs("example.com/team/layered:2").get(1);

        assertThat(Files.getAttribute(upper.resolve("etc/gone"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(LinuxFiles.S_IFCHR);
        assertThat(Files.getAttribute(upper.resolve("etc/gone"), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(0L);
        assertThat(Files.getAttribute(upper.resolve("var"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(LinuxFiles.S_IFCHR);
        assertThat(LinuxFiles.lgetxattr(upper.resolve("opq"), "trusted.overlay.opaque"))
                .containsExactly('y');
        assertThat(LinuxFiles.lgetxattr(upper.resolve("etc"), "trusted.overlay.opaque"))
                .isNull();
        assertThat(upper.resolve("etc/.wh.gone")).doesNotExist();
        assertThat(upper.resolve("fresh")).hasContent("f");
    }

    @Test
    void flatteningIntoAnExistingDirectoryIsRefused() throws Exception {
        OciImageStore store = storeWithTwoLayerImage();
        Files.createDirectory(base.resolve("taken"));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> store.flatten("example.com/team/layered:2", base.resolve("taken")))
                .hasMessageContaining("already exists");
    }

    static List<String> list(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
