package dev.vessel.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessServiceTest {
    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    AccessService access;

    @BeforeEach
    void setUp() {
        access = newService();
        access.addUser("alice", "correct horse", List.of("ops"), "");
    }

    private AccessService newService() {
        byte[] key = new byte[32];
        key[0] = 7;
        return new AccessService(
                new FileAccessStore(dir.resolve("access.json")),
                new PasswordHasher(),
                new Tickets(key, clock),
                new LoginThrottle(clock),
                clock);
    }

    @Test
    void aRightPasswordGivesATicketThatAuthenticatesAndExpiresAfterTwoHours() {
        var t = access.login("alice", "correct horse", "10.0.0.1");
        assertThat(access.byTicket(t.ticket(), false))
                .hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("alice"));
        assertThat(access.csrfMatches(t.ticket(), t.csrfToken())).isTrue();
        assertThat(access.csrfMatches(t.ticket(), t.csrfToken() + "x")).isFalse();
        clock.advance(Tickets.LIFETIME.minusSeconds(1));
        assertThat(access.byTicket(t.ticket(), false)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(access.byTicket(t.ticket(), false)).isEmpty();
    }

    @Test
    void aTicketRenewsBeforeItEnds() {
        var t = access.login("alice", "correct horse", "10.0.0.1");
        clock.advance(Duration.ofMinutes(90));
        var renewed = access.login("alice", t.ticket(), "10.0.0.1");
        clock.advance(Duration.ofMinutes(60));
        assertThat(access.byTicket(t.ticket(), false)).isEmpty();
        assertThat(access.byTicket(renewed.ticket(), false)).isPresent();
    }

    @Test
    void aTamperedTicketIsRefused() {
        var t = access.login("alice", "correct horse", "10.0.0.1");
        String forged = t.ticket().replace("VSL1:alice:", "VSL1:root:");
        assertThat(access.byTicket(forged, false)).isEmpty();
    }

    @Test
    void unknownUsersAndWrongPasswordsGetTheSameAnswer() {
        var unknown = catchProblem(() -> access.login("mallory", "whatever1", "10.0.0.2"));
        var wrong = catchProblem(() -> access.login("alice", "whatever1", "10.0.0.3"));
        assertThat(unknown.type()).isEqualTo(ProblemType.UNAUTHORIZED);
        assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage());
    }

    @Test
    void failedLoginsAreThrottledPerUserEvenWithTheRightPassword() {
        for (int i = 0; i < LoginThrottle.PER_USER; i++) {
            catchProblem(() -> access.login("alice", "wrong-password", "10.0.0." + (10 + 0)));
        }
        var refused = catchProblem(() -> access.login("alice", "correct horse", "10.9.9.9"));
        assertThat(refused.type()).isEqualTo(ProblemType.TOO_MANY_REQUESTS);
        clock.advance(LoginThrottle.WINDOW);
        assertThat(access.login("alice", "correct horse", "10.9.9.9").user()).isEqualTo("alice");
    }

    @Test
    void aTokenWithPrivilegeSeparationNeverHasMoreThanItsUser() {
        access.grant(Caller.Admin.SOCKET, new AclEntry("/vms", "alice", "Auditor", true));
        var t = access.addToken("alice", "ci", true, null, "");
        access.grant(Caller.Admin.SOCKET, new AclEntry("/", "alice!ci", "Administrator", true));
        var tokenCaller = access.byToken(t.value()).orElseThrow();
        AclPath web = AclPath.parse("/vms/web");
        assertThat(tokenCaller.can(Privilege.VM_AUDIT, web)).isTrue();
        assertThat(tokenCaller.can(Privilege.VM_ALLOCATE, web)).isFalse();
        assertThat(tokenCaller.can(Privilege.USER_MODIFY, AclPath.ROOT)).isFalse();
        assertThat(access.effective("alice!ci", web)).isEqualTo(Role.AUDITOR.privileges());
    }

    @Test
    void aTokenExpiresAndAWrongSecretFails() {
        var t = access.addToken("alice", "short", false, clock.instant().plus(Duration.ofHours(1)), "");
        assertThat(access.byToken(t.value())).isPresent();
        assertThat(access.byToken(t.tokenId() + "=" + "0".repeat(48))).isEmpty();
        clock.advance(Duration.ofHours(1));
        assertThat(access.byToken(t.value())).isEmpty();
    }

    @Test
    void nobodyHandsOutMoreThanTheyHold() {
        access.grant(Caller.Admin.SOCKET, new AclEntry("/vms", "alice", "Administrator", true));
        access.addUser("bob", "another secret", List.of(), "");
        Caller alice = access.byTicket(
                        access.login("alice", "correct horse", "x").ticket(), false)
                .orElseThrow();
        access.grant(alice, new AclEntry("/vms/web", "bob", "Operator", true)); // within /vms: fine
        var p = catchProblem(() -> access.grant(alice, new AclEntry("/", "bob", "Auditor", true)));
        assertThat(p.type()).isEqualTo(ProblemType.FORBIDDEN);
        var self = catchProblem(() -> access.grant(alice, new AclEntry("/", "alice", "Administrator", true)));
        assertThat(self.type()).isEqualTo(ProblemType.FORBIDDEN);
    }

    @Test
    void theStateSurvivesARestartAndNoSecretIsStoredInClear() throws Exception {
        var t = access.addToken("alice", "ci", false, null, "");
        access = newService();
        assertThat(access.byToken(t.value())).isPresent();
        assertThat(access.login("alice", "correct horse", "x").user()).isEqualTo("alice");
        String stored = Files.readString(dir.resolve("access.json"));
        assertThat(stored)
                .doesNotContain("correct horse")
                .doesNotContain(t.secret())
                .contains("$argon2id$");
        assertThat(Files.getPosixFilePermissions(dir.resolve("access.json")).toString())
                .isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }

    @Test
    void removingAUserRemovesItsTokensAndAclEntries() {
        access.addToken("alice", "ci", true, null, "");
        access.grant(Caller.Admin.SOCKET, new AclEntry("/", "alice", "Auditor", true));
        access.removeUser("alice");
        assertThat(access.state().tokens()).isEmpty();
        assertThat(access.acl()).isEmpty();
    }

    @Test
    void badInputIsRefusedAndNothingChanges() {
        var before = access.state();
        assertThat(catchProblem(() -> access.addUser("Bad Name", "long enough", List.of(), ""))
                        .type())
                .isEqualTo(ProblemType.INVALID_INPUT);
        assertThat(catchProblem(() -> access.addUser("bob", "short", List.of(), ""))
                        .type())
                .isEqualTo(ProblemType.INVALID_INPUT);
        assertThat(catchProblem(() -> access.addUser("alice", "long enough", List.of(), ""))
                        .type())
                .isEqualTo(ProblemType.ALREADY_EXISTS);
        assertThat(catchProblem(() -> access.removeRole("Administrator")).type())
                .isEqualTo(ProblemType.INVALID_INPUT);
        assertThat(access.state()).isEqualTo(before);
    }

    private static VesselException catchProblem(Runnable r) {
        try {
            r.run();
        } catch (VesselException e) {
            return e;
        }
        throw new AssertionError("no problem was thrown");
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void everythingTheServiceStoresReadsBackInANewDaemon() throws Exception {
        access.grant(Caller.Admin.SOCKET, new AclEntry("/vms", "@ops", "Auditor", true));
        access.grant(Caller.Admin.SOCKET, new AclEntry("/vms/web", "alice", "Operator", false));
        access.addToken("alice", "ci", true, clock.instant().plus(Duration.ofDays(1)), "for CI");
        access.addRole("Watcher", java.util.EnumSet.of(Privilege.VM_AUDIT));

        var again = newService();

        assertThat(again.acl()).isEqualTo(access.acl());
        assertThat(again.tokens("alice")).isEqualTo(access.tokens("alice"));
        assertThat(again.roles()).isEqualTo(access.roles());
        assertThat(again.users()).isEqualTo(access.users());
        assertThat(java.nio.file.Files.readString(dir.resolve("access.json"))).doesNotContain("\"group\"");
    }

    @Test
    void anAclThatAnEarlierBuildWroteWithItsDerivedGroupFlagStillReads() throws Exception {
        var file = dir.resolve("old.json");
        java.nio.file.Files.writeString(
                file,
                "{\"acl\":[{\"path\":\"/\",\"principal\":\"@ops\",\"role\":\"Auditor\",\"propagate\":true,"
                        + "\"group\":true}]}");

        assertThat(new FileAccessStore(file).read().acl()).containsExactly(new AclEntry("/", "@ops", "Auditor", true));
    }
}
