package dev.vessel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.VesselException;
import dev.vessel.engine.stats.History;
import dev.vessel.engine.store.Database;
import dev.vessel.engine.store.SqliteInstanceStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The round-robin history: bounded rings, consolidation, ranges. */
class HistoryTest {
    static final long T0 = Instant.parse("2026-01-05T00:00:00Z").getEpochSecond();

    @TempDir
    Path dir;

    static History.Point point(long t, double cpu, double mem) {
        return new History.Point(t, 5, cpu, cpu, mem, mem, mem / 2, 100, 200, 10, 20);
    }

    @Test
    void aSimulatedWeekOfTenSecondStepsStaysWithinTheRingsAndEveryRangeCoversItsSpan() {
        try (var db = new Database(dir.resolve("h.db"))) {
            new SqliteInstanceStore(db).insert(StoreTest.vm("i1", "web"));
            new SqliteInstanceStore(db).insert(StoreTest.vm("i2", "db"));
            var h = new History(db);
            long week = 7 * 86_400;
            var batch = new ArrayList<History.Entry>();
            for (long t = T0; t < T0 + week; t += 10) {
                // the CPU climbs through each day, so consolidated averages and maxima can be checked
                double cpu = (t - T0) % 86_400 / 864.0;
                batch.add(new History.Entry("i1", point(t, cpu, 1000)));
                batch.add(new History.Entry("i2", point(t, 50, 2000)));
                if (batch.size() >= 2_000) {
                    h.record(batch);
                    batch.clear();
                }
            }
            h.record(batch);
            Instant now = Instant.ofEpochSecond(T0 + week);
            assertThat(h.rows("i1"))
                    .as("rows of one instance after a week")
                    .isLessThanOrEqualTo(History.MAX_ROWS_PER_INSTANCE)
                    .isEqualTo(360 + 1440 + 1008 + 7);
            assertThat(h.points("i1", History.Range.HOUR, now)).hasSize(360);
            assertThat(h.points("i1", History.Range.DAY, now)).hasSize(1440);
            assertThat(h.points("i1", History.Range.WEEK, now)).hasSize(1008);
            List<History.Point> year = h.points("i1", History.Range.YEAR, now);
            assertThat(year).hasSize(7);
            // a day's point is the average of its 8640 steps; its maximum the largest
            assertThat(year.getFirst().samples()).isEqualTo(8640 * 5);
            assertThat(year.getFirst().cpu()).isCloseTo(49.99, Offset.offset(0.1));
            assertThat(year.getFirst().cpuMax()).isCloseTo(99.99, Offset.offset(0.1));
            assertThat(h.points("i2", History.Range.WEEK, now)).allMatch(p -> p.cpu() == 50 && p.memory() == 2000);
            // the hour ring holds the last hour only, oldest first
            var hour = h.points("i1", History.Range.HOUR, now);
            assertThat(hour.getFirst().start()).isEqualTo(T0 + week - 3600);
            assertThat(hour.getLast().start()).isEqualTo(T0 + week - 10);

            // another simulated year does not grow it: the year ring has at most one slot per day
            var more = new ArrayList<History.Entry>();
            for (long t = T0 + week; t < T0 + 400 * 86_400L; t += 3600) {
                more.add(new History.Entry("i1", point(t, 1, 1)));
            }
            h.record(more);
            assertThat(h.rows("i1")).isLessThanOrEqualTo(History.MAX_ROWS_PER_INSTANCE);
            assertThat(h.points("i1", History.Range.YEAR, Instant.ofEpochSecond(T0 + 400 * 86_400L)))
                    .hasSizeLessThanOrEqualTo(366);

            // removing an instance removes its history
            new SqliteInstanceStore(db).delete("i2");
            assertThat(h.rows("i2")).isZero();
        }
    }

    @Test
    void rangesAreParsedStrictly() {
        assertThat(History.Range.parse("week")).isEqualTo(History.Range.WEEK);
        assertThat(History.Range.parse(null)).isEqualTo(History.Range.HOUR);
        assertThatThrownBy(() -> History.Range.parse("decade"))
                .isInstanceOf(VesselException.class)
                .hasMessageContaining("hour, day, week or year");
    }
}
