package dev.vessel.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConsoleTicketsTest {
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private static void refused(Runnable r, String words) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(VesselException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.UNAUTHORIZED);
            assertThat(e.getMessage()).contains(words);
        });
    }

    @Test
    void aTicketIsGoodOnceForItsCallerAndConsoleOnly() {
        var t = new ConsoleTickets(new AccessServiceTest.MutableClock(T0));
        var ticket = t.issue("alice", "web.dev", "serial");
        assertThat(ticket.value()).hasSizeGreaterThanOrEqualTo(43);
        t.redeem(ticket.value(), "alice", "web.dev", "serial");
        refused(() -> t.redeem(ticket.value(), "alice", "web.dev", "serial"), "used already");
        var other = t.issue("alice", "web.dev", "serial");
        refused(() -> t.redeem(other.value(), "bob", "web.dev", "serial"), "not for this caller");
        // a refused ticket is gone too: nobody can try it again with other guesses
        refused(() -> t.redeem(other.value(), "alice", "web.dev", "serial"), "used already");
        var vnc = t.issue("alice", "web", "vnc");
        refused(() -> t.redeem(vnc.value(), "alice", "web", "serial"), "not for this caller");
        refused(() -> t.redeem(null, "alice", "web", "serial"), "unknown");
        refused(() -> t.redeem("forged", "alice", "web", "serial"), "unknown");
    }

    @Test
    void aTicketLastsThirtySeconds() {
        var clock = new AccessServiceTest.MutableClock(T0);
        var t = new ConsoleTickets(clock);
        var ticket = t.issue("alice", "web", "serial");
        assertThat(ticket.expires()).isEqualTo(T0.plusSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        refused(() -> t.redeem(ticket.value(), "alice", "web", "serial"), "expired");
        var fresh = t.issue("alice", "web", "serial");
        clock.advance(Duration.ofSeconds(29));
        t.redeem(fresh.value(), "alice", "web", "serial");
    }
}
