package dev.vessel.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ImageTool} does, as storage relies on it. qemu-img passes it, and so does the fake the engine's
 * tests run on, so that those tests mean something for the real tool.
 */
public abstract class ImageToolContract {
    static final long MIB = 1L << 20;

    @TempDir
    protected Path dir;

    protected abstract ImageTool tool();

    @Test
    void createMakesAnImageOfTheFormatAndSize() {
        Path q = dir.resolve("a.qcow2");
        Path r = dir.resolve("b.raw");
        tool().create(q, "qcow2", 64 * MIB, "off");
        tool().create(r, "raw", 32 * MIB);
        assertThat(tool().info(q).format()).isEqualTo("qcow2");
        assertThat(tool().info(q).virtualSize()).isEqualTo(64 * MIB);
        assertThat(tool().info(r).format()).isEqualTo("raw");
        assertThat(tool().info(q).backingFilename()).isNull();
    }

    @Test
    void anOverlayNamesItsBaseAndTheChainListsBoth() {
        Path base = dir.resolve("base.qcow2");
        Path top = dir.resolve("top.qcow2");
        tool().create(base, "qcow2", 64 * MIB);
        tool().createOverlay(base, "qcow2", top);
        var chain = tool().chain(top);
        assertThat(chain).hasSize(2);
        assertThat(chain.getFirst().backingFilename()).isEqualTo(base.toString());
        assertThat(chain.getFirst().virtualSize()).isEqualTo(64 * MIB);
        assertThat(Path.of(chain.get(1).filename())).isEqualTo(base);
    }

    @Test
    void aChainThatLeavesTheAllowedRootIsRefused() throws Exception {
        Path outside = dir.resolve("outside");
        Path inside = dir.resolve("inside");
        Files.createDirectories(outside);
        Files.createDirectories(inside);
        tool().create(outside.resolve("secret.qcow2"), "qcow2", 16 * MIB);
        tool().createOverlay(outside.resolve("secret.qcow2"), "qcow2", inside.resolve("evil.qcow2"));
        assertThatThrownBy(() -> tool().requireChainInside(inside.resolve("evil.qcow2"), inside))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("backing file outside");
        tool().requireChainInside(inside.resolve("evil.qcow2"), dir);
    }

    @Test
    void internalSnapshotsAreMadeListedAppliedAndDeleted() {
        Path img = dir.resolve("disk.qcow2");
        tool().create(img, "qcow2", 16 * MIB);
        assertThat(tool().snapshotTags(img)).isEmpty();
        tool().snapshotCreate(img, "one");
        tool().snapshotCreate(img, "two");
        assertThat(tool().snapshotTags(img)).containsExactly("one", "two");
        tool().snapshotApply(img, "one");
        tool().snapshotDelete(img, "one");
        assertThat(tool().snapshotTags(img)).containsExactly("two");
        assertThatThrownBy(() -> tool().snapshotApply(img, "one")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> tool().snapshotDelete(img, "one")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void convertWritesANewStandaloneImageAndLeavesNoPartialFile() throws Exception {
        Path base = dir.resolve("base.qcow2");
        Path top = dir.resolve("top.qcow2");
        Path copy = dir.resolve("copy.qcow2");
        tool().create(base, "qcow2", 16 * MIB);
        tool().createOverlay(base, "qcow2", top);
        tool().convert(top, "qcow2", copy, "qcow2");
        assertThat(tool().chain(copy)).hasSize(1);
        assertThat(tool().info(copy).virtualSize()).isEqualTo(16 * MIB);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
    }

    @Test
    void resizeGrowsAndShrinksOnlyWhenToldTo() {
        Path img = dir.resolve("disk.raw");
        tool().create(img, "raw", 16 * MIB);
        tool().resize(img, "raw", 32 * MIB, false);
        assertThat(tool().info(img).virtualSize()).isEqualTo(32 * MIB);
        tool().resize(img, "raw", 8 * MIB, true);
        assertThat(tool().info(img).virtualSize()).isEqualTo(8 * MIB);
    }

    @Test
    void infoJsonReportsTheFieldsStorageReads() {
        Path img = dir.resolve("disk.qcow2");
        tool().create(img, "qcow2", 16 * MIB);
        tool().snapshotCreate(img, "s");
        var n = tool().infoJson(img, "qcow2");
        assertThat(n.path("format").asText()).isEqualTo("qcow2");
        assertThat(n.path("virtual-size").asLong()).isEqualTo(16 * MIB);
        assertThat(n.path("snapshots").get(0).path("name").asText()).isEqualTo("s");
    }

    @Test
    void aFileThatIsNoImageGetsAClearError() throws Exception {
        Path nothing = dir.resolve("missing.qcow2");
        assertThatThrownBy(() -> tool().info(nothing))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("missing.qcow2");
    }
}
