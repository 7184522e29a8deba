package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users are looked up in the container's own passwd and group files, never through a symlink. */
class UserResolverTest {
    @TempDir
    Path root;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(
                root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "app:x:1001:\nextra:x:2000:other,app\nweb:x:33:\n");
    }

    @Test
    void aNameGivesItsIdsHomeAndSupplementaryGroups() {
        assertThat(UserResolver.resolve(root, "app"))
                .isEqualTo(new UserResolver.User(1000, 1001, java.util.List.of(2000), "/home/app"));
    }

    @Test
    void numbersAndGroupNamesWork() {
        assertThat(UserResolver.resolve(root, "1000").gid()).isEqualTo(1001);
        assertThat(UserResolver.resolve(root, "4242").gid()).isZero();
        assertThat(UserResolver.resolve(root, "app:web").gid()).isEqualTo(33);
        assertThat(UserResolver.resolve(root, "5:6")).isEqualTo(new UserResolver.User(5, 6, java.util.List.of(), "/"));
        assertThat(UserResolver.resolve(root, null).uid()).isZero();
    }

    @Test
    void unknownNamesAndBadFormsAreRefused() {
        assertThatThrownBy(() -> UserResolver.resolve(root, "nobody"))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("no user 'nobody'");
        assertThatThrownBy(() -> UserResolver.validate("a:b:c")).isInstanceOf(VesselException.class);
        assertThatThrownBy(() -> UserResolver.validate("x y")).isInstanceOf(VesselException.class);
    }

    @Test
    void aPasswdThatIsASymlinkIsNotRead() throws Exception {
        Files.delete(root.resolve("etc/passwd"));
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> UserResolver.resolve(root, "root")).isInstanceOf(VesselException.class);
        assertThat(UserResolver.resolve(root, "0").uid()).isZero();
    }
}
