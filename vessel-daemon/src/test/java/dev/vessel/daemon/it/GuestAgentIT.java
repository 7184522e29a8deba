package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The QEMU guest agent, against the tiny guest with Debian's qemu-guest-agent added ({@link AgentGuest}), on a managed
 * network in the test's own namespace: what the guest says of itself (OS, host name, its DHCP address), programs run
 * in it with their output and exit codes, file systems frozen and thawed around a live snapshot and a live backup, a
 * guest that ignores ACPI powered off through its agent; and a guest without an agent answering "not responding"
 * while everything else still works.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@org.junit.jupiter.api.Timeout(900)
class GuestAgentIT {
    static NetTestBed bed;
    static DaemonProcess daemon;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        bed = new NetTestBed();
        daemon = bed.daemon;
        work = Files.createTempDirectory(Path.of("/tmp"), "qga-it");
        var tiny = daemon.get("/api/v1/images/tiny");
        Path initrd = AgentGuest.initrd(Path.of(tiny.path("initrd").asText()), work);
        Path data = work.resolve("data.img");
        EspImages.run(List.of("truncate", "-s", "64M", data.toString()));
        EspImages.run(List.of("mkfs.ext4", "-q", "-F", data.toString()));
        var r = daemon.post(
                "/api/v1/vms",
                "{\"name\":\"agent\",\"kernel\":\"" + tiny.path("kernel").asText() + "\",\"initrd\":\"" + initrd
                        + "\",\"cmdline\":\"" + tiny.path("cmdline").asText() + "\",\"readyMarker\":\""
                        + tiny.path("readyMarker").asText() + "\",\"disks\":[{\"path\":\"" + data
                        + "\",\"format\":\"raw\"}],\"accel\":\"tcg\",\"memory\":\"256M\",\"stopTimeout\":40}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        daemon.okTask("/api/v1/instances/agent/start?wait=true", null);
    }

    @AfterAll
    static void stop() throws Exception {
        bed.close();
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    static JsonNode exec(String vm, String json) {
        var r = daemon.post("/api/v1/instances/" + vm + "/guest/exec", json);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return Json.tree(r.text());
    }

    static JsonNode guest(String vm) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        var r = daemon.client().call("GET", "/api/v1/instances/" + vm + "/guest", null);
        // the guest's DHCP lease comes in the background after the ready line
        while ((r.status() != 200 || !r.text().contains("eth0") || !r.text().contains("10.88."))
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
            r = daemon.client().call("GET", "/api/v1/instances/" + vm + "/guest", null);
        }
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return Json.tree(r.text());
    }

    @Test
    void theAgentTellsWhoTheGuestIsAndRunsProgramsWithTheirOutputAndExitCodes() throws Exception {
        var g = guest("agent");
        assertThat(g.path("agent").asBoolean()).isTrue();
        assertThat(g.path("hostname").asText()).isEqualTo("agent");
        assertThat(g.path("os").path("kernel").asText()).isNotBlank();
        String ip = daemon.instance("agent").path("networks").get(0).path("ip").asText();
        assertThat(ip).startsWith("10.88.");
        assertThat(g.path("interfaces").toString()).contains("\"eth0\"").contains(ip + "/");

        var r = exec("agent", "{\"command\":[\"/bin/sh\",\"-c\",\"echo out; echo err >&2; exit 7\"]}");
        assertThat(r.path("exitCode").asInt()).isEqualTo(7);
        assertThat(r.path("stdout").asText()).isEqualTo("out\n");
        assertThat(r.path("stderr").asText()).isEqualTo("err\n");
        assertThat(exec("agent", "{\"command\":[\"cat\"],\"input\":\"fed in\"}")
                        .path("stdout")
                        .asText())
                .isEqualTo("fed in");

        // the CLI: the program's output on stdout and stderr, its exit code as vessel's
        var cli = ContainerSupport.cli(daemon, null, "vm", "exec", "agent", "--", "sh", "-c", "echo hi; exit 3");
        assertThat(cli.code()).as(cli.err()).isEqualTo(3);
        assertThat(cli.out()).isEqualTo("hi\n");
        var piped = ContainerSupport.cli(
                daemon, "typed\n".getBytes(StandardCharsets.UTF_8), "vm", "exec", "-i", "agent", "--", "cat");
        assertThat(piped.out()).isEqualTo("typed\n");
        var info = ContainerSupport.cli(daemon, null, "vm", "guest", "agent");
        assertThat(info.out()).contains("Hostname:  agent").contains(ip);
        var inspect = ContainerSupport.cli(daemon, null, "inspect", "agent");
        assertThat(inspect.out()).contains("Hostname:  agent").contains("Guest NIC:");

        var bad = daemon.post("/api/v1/instances/agent/guest/exec", "{\"command\":[]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(Json.tree(bad.text()).path("field").asText()).isEqualTo("command");
    }

    @Test
    void liveSnapshotsAndBackupsFreezeAndThawTheGuestsFileSystems() throws Exception {
        guest("agent");
        assertThat(exec("agent", "{\"command\":[\"sh\",\"-c\",\"mkdir -p /data && mount -t ext4 /dev/vda /data\"]}")
                        .path("exitCode")
                        .asInt())
                .isZero();
        daemon.okTask("/api/v1/instances/agent/snapshots", "{\"name\":\"frozen\"}");
        JsonNode snap = null;
        for (JsonNode s : daemon.get("/api/v1/instances/agent/snapshots").path("snapshots")) {
            if (s.path("name").asText().equals("frozen")) {
                snap = s;
            }
        }
        assertThat(snap).as("the snapshot is listed").isNotNull();
        assertThat(snap.path("frozenFileSystems").asInt()).as(snap.toString()).isGreaterThanOrEqualTo(1);
        assertThat(snap.path("freezeMillis").asDouble()).isPositive();
        // thawed again: a write goes through at once
        var after = exec(
                "agent",
                "{\"command\":[\"sh\",\"-c\",\"echo after > /data/after && cat /data/after\"],\"timeout\":20}");
        assertThat(after.path("stdout").asText()).isEqualTo("after\n");

        Path archive = work.resolve("agent.vbk");
        var t = daemon.okTask("/api/v1/instances/agent/backup", "{\"to\":\"" + archive + "\"}");
        String log = daemon.client()
                .call("GET", "/api/v1/tasks/" + t.path("id").asText() + "/log", null)
                .text();
        assertThat(log).contains("guest agent froze");
        assertThat(exec("agent", "{\"command\":[\"touch\",\"/data/after-backup\"],\"timeout\":20}")
                        .path("exitCode")
                        .asInt())
                .isZero();
    }

    @Test
    void aGuestWithoutAnAgentSaysSoQuicklyAndTheRestStillWorks() throws Exception {
        var r = daemon.post(
                "/api/v1/vms", "{\"name\":\"plain\",\"image\":\"tiny-disk\",\"accel\":\"tcg\",\"memory\":\"128M\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        daemon.okTask("/api/v1/instances/plain/start?wait=true", null);
        long t0 = System.nanoTime();
        var g = daemon.client().call("GET", "/api/v1/instances/plain/guest", null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(g.status()).isEqualTo(503);
        assertThat(g.text()).contains("guest agent not responding");
        assertThat(ms).as("answered within the sync timeout, not hung").isLessThan(15_000);
        var cli = ContainerSupport.cli(daemon, null, "vm", "exec", "plain", "--", "true");
        assertThat(cli.code()).isNotZero();
        assertThat(cli.err()).contains("guest agent not responding");
        var inspect = ContainerSupport.cli(daemon, null, "inspect", "plain");
        assertThat(inspect.code()).isZero();
        assertThat(inspect.out()).contains("guest agent not responding");
        daemon.okTask("/api/v1/instances/plain/snapshots", "{\"name\":\"crash\"}");
        for (JsonNode s : daemon.get("/api/v1/instances/plain/snapshots").path("snapshots")) {
            assertThat(s.path("frozenFileSystems").asInt()).isZero();
        }
        daemon.okTask("/api/v1/instances/plain/kill", null);
    }

    @Test
    void aGuestThatIgnoresAcpiIsPoweredOffThroughItsAgent() throws Exception {
        guest("agent");
        assertThat(exec("agent", "{\"command\":[\"killall\",\"acpid\"]}")
                        .path("exitCode")
                        .asInt())
                .isZero();
        daemon.okTask("/api/v1/instances/agent/stop", null);
        var stopped = daemon.instance("agent");
        assertThat(stopped.path("status").asText()).isEqualTo("stopped");
        assertThat(stopped.path("state").path("reason").asText())
                .as(stopped.toString())
                .isEqualTo("stopped");
        daemon.okTask("/api/v1/instances/agent/start?wait=true", null);
    }
}
