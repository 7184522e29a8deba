package dev.vessel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.engine.stats.BalloonPolicy;
import dev.vessel.engine.stats.BalloonPolicy.Decision;
import dev.vessel.engine.stats.BalloonPolicy.Host;
import dev.vessel.engine.stats.BalloonPolicy.Vm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The automatic balloon policy: when it takes memory, how much, when it gives it back, and when it keeps still. */
class BalloonPolicyTest {
    static final long MIB = 1 << 20;
    static final long GIB = 1L << 30;
    static final Host SHORT = new Host(16 * GIB, GIB, 0); // 6 % available
    static final Host PRESSED = new Host(16 * GIB, 8 * GIB, 25); // plenty free, but tasks wait for memory
    static final Host MIDDLE = new Host(16 * GIB, 2 * GIB + GIB / 2, 0.5); // 15 %: neither short nor comfortable
    static final Host COMFORTABLE = new Host(16 * GIB, 8 * GIB, 0);

    final BalloonPolicy policy = new BalloonPolicy();

    @Test
    void aShortHostTakesIdleMemoryInStepsDownToUsePlusAMargin() {
        var idle = new Vm("a", 4 * GIB, 4 * GIB, 200 * MIB, false);
        assertThat(policy.decide(SHORT, List.of(idle), 0))
                .containsExactly(new Decision("a", 3 * GIB)); // a quarter at a time
        var later = new Vm("a", 4 * GIB, 3 * GIB, 200 * MIB, false);
        assertThat(policy.decide(SHORT, List.of(later), 5)).as("cooldown").isEmpty();
        var low = new Vm("a", 4 * GIB, 300 * MIB, 200 * MIB, false);
        assertThat(policy.decide(SHORT, List.of(low), 20))
                .as("use 200M + margin 64M")
                .containsExactly(new Decision("a", 264 * MIB));
        assertThat(policy.decide(PRESSED, List.of(new Vm("b", 4 * GIB, 4 * GIB, GIB, false)), 0))
                .as("PSI alone counts")
                .containsExactly(new Decision("b", 3 * GIB));
    }

    @Test
    void itNeverGoesBelowTheFloorNorTouchesVmsWithTheirOwnTargetOrNoStatistics() {
        assertThat(policy.decide(SHORT, List.of(new Vm("tiny", 128 * MIB, 80 * MIB, 0, false)), 0))
                .containsExactly(new Decision("tiny", 64 * MIB));
        assertThat(policy.decide(SHORT, List.of(new Vm("tiny", 128 * MIB, 64 * MIB, 0, false)), 20))
                .isEmpty();
        assertThat(policy.decide(SHORT, List.of(new Vm("pinned", 4 * GIB, 4 * GIB, 100 * MIB, true)), 0))
                .isEmpty();
        assertThat(policy.decide(SHORT, List.of(new Vm("silent", 4 * GIB, 4 * GIB, -1, false)), 0))
                .isEmpty();
        assertThat(policy.decide(SHORT, List.of(new Vm("busy", 4 * GIB, 4 * GIB, 4 * GIB, false)), 0))
                .as("it uses it all")
                .isEmpty();
    }

    @Test
    void aComfortableHostGivesItBackAndTheMiddleKeepsStill() {
        var shrunk = new Vm("a", 4 * GIB, GIB, 200 * MIB, false);
        assertThat(policy.decide(MIDDLE, List.of(shrunk), 0)).as("hysteresis").isEmpty();
        assertThat(policy.decide(COMFORTABLE, List.of(shrunk), 0)).containsExactly(new Decision("a", 2 * GIB));
        assertThat(policy.decide(COMFORTABLE, List.of(new Vm("a", 4 * GIB, 3 * GIB + GIB / 2, 200 * MIB, false)), 20))
                .containsExactly(new Decision("a", 4 * GIB));
        assertThat(policy.decide(COMFORTABLE, List.of(new Vm("full", 4 * GIB, 4 * GIB, 200 * MIB, false)), 0))
                .isEmpty();
    }
}
