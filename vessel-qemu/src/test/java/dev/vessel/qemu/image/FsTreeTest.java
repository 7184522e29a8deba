package dev.vessel.qemu.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsTreeTest {
    @TempDir
    Path dir;

    @Test
    void parentsAreAddedAsDirectories() {
        var t = new FsTree().file("/a/b/c", 0644, "x");
        assertThat(t.get("/a")).isInstanceOf(FsTree.Dir.class);
        assertThat(t.get("a/b")).isEqualTo(new FsTree.Dir(0755));
    }

    @Test
    void anExplicitDirectoryModeWinsOverTheImplicitOne() {
        var t = new FsTree().file("/root/.profile", 0644, "x").dir("/root", 0700);
        assertThat(t.get("/root")).isEqualTo(new FsTree.Dir(0700));
    }

    @Test
    void aPathCannotBeAddedTwice() {
        var t = new FsTree().file("/etc/x", 0644, "x");
        assertThatThrownBy(() -> t.symlink("/etc/x", "/y")).hasMessageContaining("already");
        assertThatThrownBy(() -> t.file("/etc/x/y", 0644, "x")).hasMessageContaining("not a directory");
    }

    @Test
    void pathsThatClimbOutAreRefused() {
        assertThatThrownBy(() -> new FsTree().file("/../etc/passwd", 0644, "x")).hasMessageContaining("unsafe");
        assertThatThrownBy(() -> new FsTree().file("/a/../../b", 0644, "x")).hasMessageContaining("unsafe");
    }

    @Test
    void materialisingWritesFilesModesAndSymlinksButNoDevices() throws Exception {
        new FsTree()
                .file("/bin/tool", 0750, "run")
                .symlink("/bin/sh", "/bin/busybox")
                .charDevice("/dev/console", 0600, 5, 1)
                .materialise(dir);
        assertThat(Files.readString(dir.resolve("bin/tool"))).isEqualTo("run");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("bin/tool"))))
                .isEqualTo("rwxr-x---");
        assertThat(Files.readSymbolicLink(dir.resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(dir.resolve("dev")).isDirectory();
        assertThat(Files.exists(dir.resolve("dev/console"), LinkOption.NOFOLLOW_LINKS))
                .isFalse();
        GuestTreesTest.deleteContents(dir);
    }
}
