package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.IdRange;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chown shift of a container's private copy: owners moved into the range, links not followed, setuid kept. */
class IdShiftTest {
    static final IdRange RANGE = new IdRange(1_000_000_000L, 65_536);

    @TempDir
    Path dir;

    @BeforeEach
    void onlyRootMayChown() {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
    }

    static int attr(Path p, String name) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void everyOwnerMovesIntoTheRangeAndSetuidBitsStay() throws Exception {
        Path root = Files.createDirectories(dir.resolve("rootfs"));
        Path etc = Files.createDirectories(root.resolve("etc"));
        Path passwd = Files.writeString(etc.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Path su = Files.writeString(root.resolve("su"), "#!/bin/sh\n");
        Files.setAttribute(su, "unix:mode", 04755);
        Path app = Files.writeString(root.resolve("app-file"), "x");
        Files.setAttribute(app, "unix:uid", 1000);
        Files.setAttribute(app, "unix:gid", 2000);
        Path hostFile = Files.writeString(dir.resolve("host-file"), "not the container's");
        Path link = Files.createSymbolicLink(root.resolve("escape"), hostFile);
        Path hard = Files.createLink(root.resolve("su-again"), su);

        IdShift.tree(root, RANGE);

        for (Path p : new Path[] {root, etc, passwd, su, link, hard}) {
            assertThat(attr(p, "uid")).as(p.toString()).isEqualTo(1_000_000_000);
            assertThat(attr(p, "gid")).as(p.toString()).isEqualTo(1_000_000_000);
        }
        assertThat(attr(app, "uid")).isEqualTo(1_000_001_000);
        assertThat(attr(app, "gid")).isEqualTo(1_000_002_000);
        assertThat(attr(su, "mode") & 07777).isEqualTo(04755);
        assertThat(attr(hostFile, "uid"))
                .as("a symlink's target is not touched")
                .isEqualTo(0);

        // again (after a crash in the middle): nothing moves twice
        IdShift.tree(root, RANGE);
        assertThat(attr(app, "uid")).isEqualTo(1_000_001_000);
        assertThat(attr(su, "uid")).isEqualTo(1_000_000_000);
    }

    @Test
    void aFileOwnedByAnIdTheContainerHasNotIsRefused() throws Exception {
        Path root = Files.createDirectories(dir.resolve("rootfs"));
        Path odd = Files.writeString(root.resolve("odd"), "x");
        Files.setAttribute(odd, "unix:uid", 70_000);
        assertThatThrownBy(() -> IdShift.tree(root, RANGE))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("owned by 70000:0, outside the container's 65536 ids");
    }
}
