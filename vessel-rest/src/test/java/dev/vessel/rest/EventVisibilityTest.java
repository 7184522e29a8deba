package dev.vessel.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.access.AclPath;
import dev.vessel.access.Caller;
import dev.vessel.access.Privilege;
import dev.vessel.access.Role;
import dev.vessel.model.Event;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventVisibilityTest {
    private static Event event(String kind, String name) {
        return new Event(1, Instant.EPOCH, "started", kind, name, Map.of());
    }

    @Test
    void aUserSeesTheEventsOfWhatItMaySeeAndNothingElse() {
        var web = AclPath.parse("/vms/web");
        var alice = new Caller.User(
                "alice", null, "ticket", false, p -> p.equals(web) ? Role.AUDITOR.privileges() : Set.<Privilege>of());
        var visible = EventsService.visibleTo(alice);
        assertThat(visible.test(event("vm", "web"))).isTrue();
        assertThat(visible.test(event("vm", "db"))).isFalse();
        assertThat(visible.test(event("container", "web"))).isFalse();
        assertThat(visible.test(event(null, "tiny"))).isFalse();
        assertThat(visible.test(event("network", "lab"))).isFalse();
    }

    @Test
    void sysAuditAndRootSeeEverything() {
        var auditor = new Caller.User("a", null, "ticket", false, p -> Role.AUDITOR.privileges());
        assertThat(EventsService.visibleTo(auditor).test(event(null, "anything")))
                .isTrue();
        assertThat(EventsService.visibleTo(Caller.Admin.SOCKET).test(event(null, null)))
                .isTrue();
    }
}
