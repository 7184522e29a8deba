package dev.vessel.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    @Test
    void anAddressGuessingManyUsersIsStoppedToo() {
        var clock = new AccessServiceTest.MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        var t = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.PER_ADDRESS; i++) {
            assertThat(t.refused("user" + i, "10.0.0.9")).isEmpty();
            t.failed("user" + i, "10.0.0.9");
        }
        assertThat(t.refused("someone-new", "10.0.0.9")).isPresent();
        assertThat(t.refused("someone-new", "10.0.0.10")).isEmpty();
        clock.advance(LoginThrottle.WINDOW.plus(Duration.ofSeconds(1)));
        assertThat(t.refused("someone-new", "10.0.0.9")).isEmpty();
    }

    @Test
    void aGoodLoginClearsItsUserButNotItsAddress() {
        var t = new LoginThrottle(Clock.systemUTC());
        for (int i = 0; i < LoginThrottle.PER_USER - 1; i++) {
            t.failed("alice", "10.0.0.1");
        }
        t.succeeded("alice");
        t.failed("alice", "10.0.0.1");
        assertThat(t.refused("alice", "10.0.0.2")).isEmpty();
    }
}
