package dev.vessel.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.access.AclPath;
import dev.vessel.access.Caller;
import dev.vessel.access.Privilege;
import dev.vessel.access.Role;
import dev.vessel.http.HttpRequest;
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

    @Test
    void aProjectsOwnNetworksEventsAreItsAndTheDefaultProjectsSharedOnesEveryones() {
        var inDev = EventsService.inScope(
                HttpRequest.of("GET", "/api/v1/events?project=dev", Map.of(), new byte[0], "unix"));
        var inDefault = EventsService.inScope(HttpRequest.of("GET", "/api/v1/events", Map.of(), new byte[0], "unix"));
        assertThat(inDev.test(event("network", "lan.dev"))).isTrue();
        assertThat(inDefault.test(event("network", "lan.dev"))).isFalse();
        assertThat(inDev.test(event("network", "default"))).isTrue();
        assertThat(inDefault.test(event("network", "default"))).isTrue();
        assertThat(inDev.test(event("vm", "web"))).isFalse();

        var lanOfDev = AclPath.parse("/projects/dev/networks/lan");
        var bob = new Caller.User(
                "bob",
                null,
                "ticket",
                false,
                p -> p.equals(lanOfDev) ? Role.AUDITOR.privileges() : Set.<Privilege>of());
        assertThat(EventsService.visibleTo(bob).test(event("network", "lan.dev")))
                .isTrue();
        assertThat(EventsService.visibleTo(bob).test(event("network", "lan"))).isFalse();
    }
}
