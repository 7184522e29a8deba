package dev.vessel.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.vessel.image.layer.ExtractOptions;
import dev.vessel.image.layer.TarApplier;
import dev.vessel.image.layer.WhiteoutMode;
import dev.vessel.image.oci.Digest;
import dev.vessel.image.oci.ImageRecord;
import dev.vessel.image.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportRootfsTest {
    static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path base;

    @Test
    void aRootfsTarballBecomesAOneLayerImageWithAGeneratedConfig() throws Exception {
        byte[] tar = new TarBuilder().dir("etc").file("etc/hostname", "box").tar();
        OciImageStore store = OciImageStore.open(base.resolve("store"));

        ImageInfo info = store.importRootfs(
                TarBuilder.write(base.resolve("rootfs.tar.gz"), TarBuilder.gzip(tar)), "my/rootfs:1.0");

        assertThat(info.references()).containsExactly("my/rootfs:1.0");
        ImageRecord r = info.image();
        assertThat(r.layers()).singleElement().satisfies(l -> {
            assertThat(l.diffId()).isEqualTo(Digest.of(tar));
            assertThat(l.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        });
        assertThat(r.config().diffIds()).containsExactly(Digest.of(tar));
        assertThat(r.config().os()).isEqualTo("linux");
        Path root = base.resolve("store");
        assertThat(root.resolve("blobs/sha256/" + r.manifestDigest().hex())).isRegularFile();
        assertThat(root.resolve("blobs/sha256/" + r.configDigest().hex())).isRegularFile();
        assertThat(root.resolve("blobs/sha256/" + r.layers().getFirst().blob().hex()))
                .isRegularFile();
        assertThat(root.resolve("layers/" + Digest.of(tar).hex() + "/etc/hostname"))
                .hasContent("box");
        assertThat(root.resolve("catalog/images/" + r.id().hex() + ".json")).isRegularFile();
        assertThat(root.resolve("tmp")).isEmptyDirectory();
        assertThat(store.inspect("my/rootfs:1.0").id()).isEqualTo(r.id());
    }

    @Test
    void unpackingKeepsModesOwnersMtimesSymlinksAndHardlinks() throws Exception {
        byte[] tar = new TarBuilder()
                .dir("usr/bin")
                .file("usr/bin/tool", "#!/bin/sh\n".getBytes(), 04755, 1000, 2000)
                .hardlink("usr/bin/tool-again", "usr/bin/tool")
                .symlink("bin", "usr/bin")
                .dir("locked", 0555)
                .file("locked/inside", "x".getBytes(), 0400, 0, 0)
                .tar();
        OciImageStore store = OciImageStore.open(base.resolve("store"));
        Path layer = store.layerDirs(store.importRootfs(TarBuilder.write(base.resolve("r.tar"), tar), "meta:1")
                        .references()
                        .getFirst())
                .getFirst();

        Path tool = layer.resolve("usr/bin/tool");
        assertThat((int) Files.getAttribute(tool, "unix:mode") & 07777).isEqualTo(04755);
        assertThat(Files.getLastModifiedTime(tool)).isEqualTo(TarBuilder.MTIME);
        assertThat(Files.getAttribute(layer.resolve("usr/bin/tool-again"), "unix:ino"))
                .isEqualTo(Files.getAttribute(tool, "unix:ino"));
        assertThat(Files.readSymbolicLink(layer.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
        assertThat((int) Files.getAttribute(layer.resolve("locked"), "unix:mode") & 0777)
                .isEqualTo(0555);
        assertThat(Files.getLastModifiedTime(layer.resolve("usr/bin"), NOFOLLOW))
                .isEqualTo(TarBuilder.MTIME);
        if (rootUser()) {
            PosixFileAttributes a = Files.readAttributes(tool, PosixFileAttributes.class);
            assertThat(Files.getAttribute(tool, "unix:uid")).isEqualTo(1000);
            assertThat(Files.getAttribute(tool, "unix:gid")).isEqualTo(2000);
            assertThat(a.permissions()).isNotEmpty();
        }
        // Read-only dirs from images must not make the store undeletable.
        store.remove("meta:1");
        assertThat(store.gc().layersRemoved()).isEqualTo(1);
        assertThat(layer).doesNotExist();
    }

    @Test
    void aFileEntryReplacesASymlinkInsteadOfWritingThroughIt() throws Exception {
        Path victim = TarBuilder.write(base.resolve("outside/victim"), "precious".getBytes());
        byte[] tar = new TarBuilder()
                .symlink("link", victim.toString())
                .file("link", "overwritten")
                .tar();
        OciImageStore store = OciImageStore.open(base.resolve("store"));
        Path layer = store.layerDirs(store.importRootfs(TarBuilder.write(base.resolve("r.tar"), tar), "x:1")
                        .references()
                        .getFirst())
                .getFirst();

        assertThat(victim).hasContent("precious");
        assertThat(layer.resolve("link")).isRegularFile().hasContent("overwritten");
    }

    @Test
    void aSymlinkInsideTheRootCanBeWrittenThrough() throws Exception {
        byte[] tar = new TarBuilder()
                .dir("usr/lib")
                .symlink("lib", "usr/lib")
                .file("lib/libc.so", "elf")
                .tar();
        OciImageStore store = OciImageStore.open(base.resolve("store"));
        Path layer = store.layerDirs(store.importRootfs(TarBuilder.write(base.resolve("r.tar"), tar), "x:1")
                        .references()
                        .getFirst())
                .getFirst();

        assertThat(layer.resolve("usr/lib/libc.so")).hasContent("elf");
        assertThat(Files.isSymbolicLink(layer.resolve("lib"))).isTrue();
    }

    @Test
    void devicesAndFifosAreCreatedWhenAllowed() throws Exception {
        byte[] tar = new TarBuilder()
                .fifo("pipe")
                .dir("dev")
                .charDevice("dev/null", 1, 3)
                .tar();
        Path root = Files.createDirectory(base.resolve("root"));
        assumeThat(rootUser()).as("mknod of a device needs root").isTrue();

        TarApplier.apply(new ByteArrayInputStream(tar), root, new ExtractOptions(true, true, WhiteoutMode.KEEP));

        assertThat(Files.readAttributes(root.resolve("pipe"), PosixFileAttributes.class, NOFOLLOW)
                        .isOther())
                .isTrue();
        assertThat(Files.getAttribute(root.resolve("dev/null"), "unix:rdev"))
                .isEqualTo(Files.getAttribute(Path.of("/dev/null"), "unix:rdev"));
    }

    static boolean rootUser() throws Exception {
        return (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    }
}
