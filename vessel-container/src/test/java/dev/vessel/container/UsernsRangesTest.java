package dev.vessel.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.IdRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host id ranges of containers with their own user namespace: given, kept across restarts, freed, disjoint. */
class UsernsRangesTest {
    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("data/container-userns.json");
    }

    @Test
    void eachContainerGetsTheLowestFreeRangeOf65536IdsAndKeepsIt() {
        var ranges = new UsernsRanges(file());
        assertThat(ranges.allocate("a")).isEqualTo(new IdRange(1_000_000_000L, 65_536));
        assertThat(ranges.allocate("b")).isEqualTo(new IdRange(1_000_065_536L, 65_536));
        assertThat(ranges.allocate("a")).isEqualTo(new IdRange(1_000_000_000L, 65_536));
        assertThat(ranges.of("b")).contains(new IdRange(1_000_065_536L, 65_536));
        assertThat(ranges.of("c")).isEmpty();
    }

    @Test
    void theTableIsAFileThatADaemonRestartReadsBack() throws Exception {
        var ranges = new UsernsRanges(file());
        ranges.allocate("a");
        ranges.allocate("b");
        assertThat(Files.readString(file())).isEqualTo("{\"a\":1000000000,\"b\":1000065536}\n");
        assertThat(Files.getPosixFilePermissions(file()))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        var again = new UsernsRanges(file());
        assertThat(again.of("a")).contains(new IdRange(1_000_000_000L, 65_536));
        assertThat(again.allocate("c")).isEqualTo(new IdRange(1_000_131_072L, 65_536));
    }

    @Test
    void aReleasedRangeIsFreeAgainAndGoneFromTheFile() throws Exception {
        var ranges = new UsernsRanges(file());
        ranges.allocate("a");
        ranges.allocate("b");
        ranges.release("a");
        ranges.release("never-had-one");
        assertThat(Files.readString(file())).isEqualTo("{\"b\":1000065536}\n");
        assertThat(new UsernsRanges(file()).of("a")).isEmpty();
        assertThat(ranges.allocate("c")).isEqualTo(new IdRange(1_000_000_000L, 65_536));
    }

    @Test
    void rangesOfContainersThatDoNotExistAreFreedAtStartUp() throws Exception {
        var ranges = new UsernsRanges(file());
        ranges.allocate("a");
        ranges.allocate("orphan");
        ranges.retainOnly(Set.of("a", "vm-or-other"));
        assertThat(new UsernsRanges(file()).of("orphan")).isEmpty();
        assertThat(new UsernsRanges(file()).of("a")).isPresent();
    }

    @Test
    void noTwoRangesOverlapAndAllLieAboveTheVmUidsAndBelow2To31() {
        var ranges = new UsernsRanges(file(), 64);
        var given = new ArrayList<IdRange>();
        for (int i = 0; i < 64; i++) {
            given.add(ranges.allocate("c" + i));
        }
        for (int i = 0; i < given.size(); i++) {
            IdRange r = given.get(i);
            assertThat(r.size()).isEqualTo(65_536);
            // VmUids gives VMs 300000..365535 (see vessel-engine's UsernsOptionTest for the check against its
            // constants)
            assertThat(r.hostId()).isGreaterThan(365_535L);
            for (int j = i + 1; j < given.size(); j++) {
                IdRange o = given.get(j);
                assertThat(r.lastHostId() < o.hostId() || o.lastHostId() < r.hostId())
                        .as(r + " and " + o)
                        .isTrue();
            }
        }
        assertThatThrownBy(() -> ranges.allocate("one-too-many"))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("all 64 user-namespace id ranges");
        long last = UsernsRanges.FIRST + (UsernsRanges.SLOTS - 1) * UsernsRanges.SIZE;
        assertThat(new IdRange(last, UsernsRanges.SIZE).lastHostId()).isLessThanOrEqualTo(Integer.MAX_VALUE);
        assertThat(UsernsRanges.SLOTS).isEqualTo(17_509);
    }

    @Test
    void aDamagedTableIsReportedNotIgnored() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{not json");
        assertThatThrownBy(() -> new UsernsRanges(file()))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("container id-range table");
    }
}
