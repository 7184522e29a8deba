package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash states of a writable-layer rollback, and what settling each one comes to. */
class LayerCopiesTest {
    @TempDir
    Path dir;

    ContainerPaths p;
    final LayerCopies copies = new LayerCopies(new ProcessRunner());

    @BeforeEach
    void aLayerAndASnapshot() throws Exception {
        p = new ContainerPaths(dir.resolve("state"), dir.resolve("run"));
        Files.createDirectories(p.upper());
        Files.writeString(p.upper().resolve("f"), "now");
        copies.copyOut(p, WritableLayer.OVERLAY, "t");
        copies.commit(p, "t");
        Files.writeString(p.upper().resolve("f"), "changed");
    }

    String layer() throws Exception {
        return Files.readString(p.upper().resolve("f"));
    }

    @Test
    void aSnapshotIsACopyThatLaterWritesDoNotTouch() throws Exception {
        assertThat(Files.readString(LayerCopies.snapshot(p, "t").resolve("f"))).isEqualTo("now");
        assertThat(LayerCopies.size(p, "t")).isEqualTo(3);
        assertThat(LayerCopies.partial(p, "t")).doesNotExist();
    }

    @Test
    void aRollbackSwapsTheCopyInAndCleansUp() throws Exception {
        Files.createDirectories(p.work().resolve("work"));
        copies.restore(p, WritableLayer.OVERLAY, "t");
        assertThat(layer()).isEqualTo("now");
        copies.cleanUp(p, WritableLayer.OVERLAY);
        assertThat(LayerCopies.outgoing(p)).doesNotExist();
        assertThat(p.work()).isEmptyDirectory();
        assertThat(LayerCopies.snapshot(p, "t").resolve("f")).hasContent("now");
    }

    @Test
    void interruptedWhileCopyingItIsUndone() throws Exception {
        Files.createDirectories(LayerCopies.incoming(p));
        Files.writeString(LayerCopies.incoming(p).resolve("half"), "x");
        assertThat(copies.settleRollback(p, WritableLayer.OVERLAY)).isEqualTo(LayerCopies.Settled.UNDONE);
        assertThat(layer()).isEqualTo("changed");
        assertThat(LayerCopies.incoming(p)).doesNotExist();
    }

    @Test
    void interruptedBetweenTheRenamesItIsFinished() throws Exception {
        copyTo(LayerCopies.incoming(p));
        Files.move(p.upper(), LayerCopies.outgoing(p));
        assertThat(copies.settleRollback(p, WritableLayer.OVERLAY)).isEqualTo(LayerCopies.Settled.FINISHED);
        assertThat(layer()).isEqualTo("now");
        copies.cleanUp(p, WritableLayer.OVERLAY);
        assertThat(LayerCopies.outgoing(p)).doesNotExist();
    }

    @Test
    void interruptedBeforeTheOldLayerWasDeletedItIsFinished() throws Exception {
        Files.move(p.upper(), LayerCopies.outgoing(p));
        copyTo(p.upper());
        assertThat(copies.settleRollback(p, WritableLayer.OVERLAY)).isEqualTo(LayerCopies.Settled.FINISHED);
        assertThat(layer()).isEqualTo("now");
    }

    @Test
    void inCopyModeTheLayerIsTheRootAndRemovalLeavesNothing() throws Exception {
        Files.createDirectories(p.rootfs());
        Files.writeString(p.rootfs().resolve("g"), "root");
        copies.copyOut(p, WritableLayer.COPY, "r");
        copies.commit(p, "r");
        Files.delete(p.rootfs().resolve("g"));
        copies.restore(p, WritableLayer.COPY, "r");
        assertThat(p.rootfs().resolve("g")).hasContent("root");
        copies.delete(p, "r");
        assertThat(LayerCopies.snapshot(p, "r")).doesNotExist();
        assertThat(LayerCopies.trash(p, "r")).doesNotExist();
    }

    void copyTo(Path to) throws Exception {
        Files.createDirectories(to);
        Files.writeString(to.resolve("f"), "now");
    }
}
