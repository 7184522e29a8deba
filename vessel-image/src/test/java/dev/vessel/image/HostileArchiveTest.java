package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every hostile archive is refused with a message that says why, and leaves the store and the host untouched. */
class HostileArchiveTest {
    @TempDir
    Path base;

    Path outside;
    OciImageStore store;
    Map<String, String> before;

    @BeforeEach
    void openStoreWithOneImage() throws Exception {
        outside = Files.createDirectories(base.resolve("outside"));
        store = OciImageStore.open(base.resolve("store"));
        store.importRootfs(
                TarBuilder.write(
                        base.resolve("good.tar"),
                        new TarBuilder()
                                .dir("etc")
                                .file("etc/os-release", "ID=test")
                                .tar()),
                "good:1");
        before = Snapshot.of(base.resolve("store"));
    }

    void assertRefused(byte[] archive, String message) {
        Path file = TarBuilder.write(base.resolve("hostile.tar"), archive);
        assertThatThrownBy(() -> store.importRootfs(file, "hostile:1"))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((VesselException) e).type()).isEqualTo(ProblemType.INVALID_INPUT));
        assertThat(Snapshot.of(base.resolve("store"))).isEqualTo(before);
        assertThat(Snapshot.of(outside)).containsOnlyKeys("");
        assertThat(store.list()).extracting(i -> i.references()).containsExactly(java.util.List.of("good:1"));
    }

    /** Climbs to / with plenty of "..", then down to the outside dir: escapes from wherever the layer is unpacked. */
    String climbingTo(Path target) {
        return "../".repeat(30) + target.toString().substring(1);
    }

    @Test
    void aDotDotEntryIsRefused() {
        assertRefused(new TarBuilder().file("../../outside/evil", "x").tar(), "'..' would leave the root");
    }

    @Test
    void aDotDotInsideAPathIsRefused() {
        assertRefused(new TarBuilder().dir("etc").file("etc/../../evil", "x").tar(), "'..' would leave the root");
    }

    @Test
    void anAbsolutePathIsRefused() {
        assertRefused(
                new TarBuilder().file(outside.resolve("evil").toString(), "x").tar(), "absolute paths are not allowed");
    }

    @Test
    void writingThroughASymlinkWithARelativeTargetThatEscapesIsRefused() {
        assertRefused(
                new TarBuilder()
                        .symlink("evil", climbingTo(outside))
                        .file("evil/pwned", "x")
                        .tar(),
                "symlink 'evil' points outside the root");
    }

    @Test
    void writingThroughASymlinkWithAnAbsoluteTargetIsRefused() {
        assertRefused(
                new TarBuilder()
                        .symlink("evil", outside.toString())
                        .file("evil/pwned", "x")
                        .tar(),
                "would follow an absolute target outside the root");
    }

    @Test
    void writingThroughAChainOfSymlinksThatEscapesIsRefused() {
        assertRefused(
                new TarBuilder()
                        .dir("a")
                        .symlink("a/up", "..")
                        .symlink("a/way", "up/" + climbingTo(outside))
                        .file("a/way/pwned", "x")
                        .tar(),
                "points outside the root");
    }

    @Test
    void aSymlinkLoopIsRefused() {
        assertRefused(
                new TarBuilder()
                        .symlink("a", "b")
                        .symlink("b", "a")
                        .file("a/x", "x")
                        .tar(),
                "too many levels of symbolic links");
    }

    @Test
    void aHardlinkToAFileOutsideIsRefused() {
        assertRefused(
                new TarBuilder().hardlink("passwd", "../../../../etc/passwd").tar(),
                "hardlink target '../../../../etc/passwd' is not inside the root");
    }

    @Test
    void aHardlinkWithAnAbsoluteTargetIsRefused() {
        assertRefused(new TarBuilder().hardlink("passwd", "/etc/passwd").tar(), "is not inside the root");
    }

    @Test
    void aHardlinkThroughAnEscapingSymlinkIsRefused() {
        assertRefused(
                new TarBuilder()
                        .symlink("etc", "/etc")
                        .hardlink("passwd", "etc/passwd")
                        .tar(),
                "absolute target outside the root");
    }

    @Test
    void aHardlinkToAFileNotYetExtractedIsRefused() {
        assertRefused(
                new TarBuilder().hardlink("early", "later").file("later", "x").tar(), "does not exist (yet)");
    }

    @Test
    void deviceNodesOfAnOrdinaryRootFileSystemAreSkippedAndReported() throws Exception {
        // What debootstrap and mmdebstrap tarballs carry: docker and podman accept these, and so does Vessel
        Path file = TarBuilder.write(
                base.resolve("rootfs.tar"),
                new TarBuilder()
                        .dir("dev")
                        .charDevice("dev/console", 5, 1)
                        .charDevice("dev/null", 1, 3)
                        .dir("etc")
                        .file("etc/hostname", "deb")
                        .fifo("run/initctl")
                        .tar());
        var notices = new java.util.ArrayList<String>();
        ImageInfo i = store.importRootfs(file, "debian:12", new ProgressListener() {
            @Override
            public void onProgress(LayerProgress p) {}

            @Override
            public void onNotice(String message) {
                notices.add(message);
            }
        });
        assertThat(notices)
                .singleElement()
                .asString()
                .contains("skipped 2 device nodes")
                .contains("dev/console (character device 5:1)", "dev/null (character device 1:3)")
                .contains("their own /dev");
        Path layer = store.layerDirs("debian:12").getFirst();
        assertThat(layer.resolve("etc/hostname")).hasContent("deb");
        assertThat(layer.resolve("dev")).isDirectory();
        assertThat(layer.resolve("dev/console")).as("not created").doesNotExist();
        assertThat(layer.resolve("dev/null")).doesNotExist();
        assertThat(Files.getAttribute(
                        layer.resolve("run/initctl"), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .as("a fifo is not a device: kept")
                .satisfies(m -> assertThat(((Integer) m) & 0170000).isEqualTo(0010000));
        assertThat(i.references()).containsExactly("debian:12");
        assertThat(Snapshot.of(outside)).containsOnlyKeys("");
    }

    @Test
    void aDeviceNodeIsSkippedEvenWhereItCouldReachTheHost() throws Exception {
        // /dev/mem (1:1) outside /dev is an attack, not a root file system; it is left out all the same, never made
        Path file = TarBuilder.write(
                base.resolve("mem.tar"),
                new TarBuilder().dir("tmp").charDevice("tmp/mem", 1, 1).tar());
        store.importRootfs(file, "mem:1");
        assertThat(store.layerDirs("mem:1").getFirst().resolve("tmp/mem")).doesNotExist();
    }

    @Test
    void aTruncatedGzipLayerIsRefused() {
        byte[] big = new TarBuilder().file("data", "0123456789".repeat(10_000)).tar();
        assertRefused(TarBuilder.truncated(TarBuilder.gzip(big)), "corrupt or truncated");
    }

    @Test
    void aTruncatedZstdLayerIsRefused() {
        byte[] big = new TarBuilder().file("data", "0123456789".repeat(10_000)).tar();
        assertRefused(TarBuilder.truncated(TarBuilder.zstd(big)), "corrupt or truncated");
    }

    @Test
    void aTruncatedTarIsRefused() {
        byte[] big = new TarBuilder().file("data", "0123456789".repeat(10_000)).tar();
        assertRefused(TarBuilder.truncated(big), "corrupt or truncated");
    }

    @Test
    void garbageIsRefused() {
        assertRefused(
                "this is not a tar archive, not even close; it goes on for a while to fill a header block"
                        .repeat(10)
                        .getBytes(),
                "corrupt or truncated");
    }
}
