package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Removing instances and networks leaves nothing behind: {@code ip -d link}, {@code nft list ruleset}, the processes
 * of the daemon's namespace, the store and dnsmasq's host and lease files are compared with the clean state (the
 * daemon just started, with its default network) after a stress loop, after a {@code kill -9} of the daemon, and
 * after starts that failed half-way.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class NetworkTeardownIT {
    NetTestBed bed;
    DaemonProcess daemon;
    NetTestBed.Snapshot clean;

    @BeforeEach
    void start() throws Exception {
        bed = new NetTestBed();
        daemon = bed.daemon;
        clean = bed.snapshot();
        assertThat(clean.processes())
                .as("the daemon and the default network's dnsmasq")
                .hasSize(2);
    }

    @AfterEach
    void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    int status(String method, String path, String body) {
        return daemon.client()
                .call(method, path, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .status();
    }

    @Test
    void aStressLoopOfCreatesAndRemovalsLeavesTheCleanState() throws Exception {
        for (int i = 0; i < 4; i++) {
            String net = "n" + i;
            String vm = "s" + i;
            assertThat(status(
                            "POST",
                            "/api/v1/networks",
                            "{\"name\":\"" + net + "\",\"subnet\":\"10.9" + i + ".0.0/24\"}"))
                    .isEqualTo(201);
            var r = daemon.post(
                    "/api/v1/vms",
                    "{\"name\":\"" + vm
                            + "\",\"image\":\"tiny\",\"memory\":\"128M\",\"networks\":[{\"network\":\"default\"},"
                            + "{\"network\":\"" + net + "\"}],\"ports\":[\"90" + i + "0:80\",\"90" + i
                            + "1:53/udp\"]}");
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            daemon.okTask("/api/v1/instances/" + vm + "/start?wait=true", null);
            String ip = daemon.instance(vm).path("networks").get(0).path("ip").asText();
            // The same address every round, each time for a new MAC: dnsmasq must have forgotten the last lease.
            assertThat(ip).isEqualTo("10.88.0.2");
            assertThat(bed.awaitPage(bed.host, "http://127.0.0.1:90" + i + "0/"))
                    .contains("<h1>" + vm + "</h1>");
            if (i == 1) {
                // a NIC plugged at runtime, on a network of its own
                assertThat(status("POST", "/api/v1/networks", "{\"name\":\"x1\",\"subnet\":\"10.99.0.0/24\"}"))
                        .isEqualTo(201);
                assertThat(status("POST", "/api/v1/instances/" + vm + "/nics", "{\"network\":\"x1\"}"))
                        .isEqualTo(201);
            }
            if (i % 2 == 0) {
                daemon.okTask("/api/v1/instances/" + vm + "/stop?timeout=20", null);
                assertThat(status("DELETE", "/api/v1/instances/" + vm, null)).isEqualTo(204);
            } else {
                assertThat(status("DELETE", "/api/v1/instances/" + vm + "?force=true", null))
                        .isEqualTo(204);
            }
            assertThat(status("DELETE", "/api/v1/networks/" + net, null)).isEqualTo(204);
            if (i == 1) {
                assertThat(status("DELETE", "/api/v1/networks/x1", null)).isEqualTo(204);
            }
        }
        bed.assertClean(clean);
    }

    @Test
    void aKill9OfTheDaemonAndARestartLeaveTheCleanStateAfterRemoval() throws Exception {
        assertThat(status("POST", "/api/v1/networks", "{\"name\":\"lab\",\"subnet\":\"10.89.0.0/24\"}"))
                .isEqualTo(201);
        var r = daemon.post(
                "/api/v1/vms",
                "{\"name\":\"k\",\"image\":\"tiny\",\"memory\":\"128M\",\"networks\":[{\"network\":\"default\"},"
                        + "{\"network\":\"lab\",\"ip\":\"10.89.0.9\"}],\"ports\":[\"8090:80\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"idle\",\"image\":\"tiny\",\"memory\":\"128M\"}")
                        .status())
                .isEqualTo(201);
        daemon.okTask("/api/v1/instances/k/start?wait=true", null);
        String ip = daemon.instance("k").path("networks").get(0).path("ip").asText();
        assertThat(bed.awaitPage(bed.host, "http://" + ip + "/")).contains("<h1>k</h1>");
        List<Long> dnsmasqBefore = dnsmasqPids();

        daemon.kill9();
        // Networks are host state, not the daemon's: the guest still serves while the daemon is down.
        assertThat(bed.fetch(bed.host, "http://127.0.0.1:8090/")).contains("<h1>k</h1>");
        // Leftovers a crash could leave: a stray veth with Vessel's prefix and the directory of a network that is gone.
        bed.run(bed.host, "ip", "link", "add", "vsl-vdeadbeef00", "type", "veth", "peer", "name", "vt-peer0");
        Files.createDirectories(daemon.dataDir().resolve("net/networks/gone"));

        daemon.start();
        assertThat(daemon.instance("k").path("status").asText()).isEqualTo("running");
        assertThat(dnsmasqPids()).as("dnsmasq adopted, not restarted").isEqualTo(dnsmasqBefore);
        assertThat(bed.fetch(bed.host, "http://" + ip + "/")).contains("<h1>k</h1>");
        assertThat(bed.run(bed.host, "ip", "-br", "link").stdout()).doesNotContain("vsl-vdeadbeef00");
        assertThat(daemon.dataDir().resolve("net/networks/gone")).doesNotExist();

        // Addresses survive the restart: a new VM does not get k's or idle's.
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"late\",\"image\":\"tiny\",\"memory\":\"128M\"}")
                        .status())
                .isEqualTo(201);
        var addresses = List.of(
                ip,
                daemon.instance("idle").path("networks").get(0).path("ip").asText(),
                daemon.instance("late").path("networks").get(0).path("ip").asText());
        assertThat(addresses).doesNotHaveDuplicates();

        for (String vm : List.of("k", "idle", "late")) {
            assertThat(status("DELETE", "/api/v1/instances/" + vm + "?force=true", null))
                    .isEqualTo(204);
        }
        assertThat(status("DELETE", "/api/v1/networks/lab", null)).isEqualTo(204);
        bed.assertClean(clean);
    }

    @Test
    void startsThatFailHalfWayLeaveNothingBehind() throws Exception {
        assertThat(status("POST", "/api/v1/networks", "{\"name\":\"lab\",\"subnet\":\"10.89.0.0/24\"}"))
                .isEqualTo(201);
        NetTestBed.Snapshot withLab = bed.snapshot();

        // QEMU fails after the NICs were plugged: its disk vanished behind the daemon's back.
        var r = daemon.post(
                "/api/v1/vms",
                "{\"name\":\"broken\",\"image\":\"tiny-disk\",\"memory\":\"128M\",\"networks\":[{\"network\":\"default\"},"
                        + "{\"network\":\"lab\"}],\"ports\":[\"8091:80\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        String id = daemon.instance("broken").path("id").asText();
        Files.delete(daemon.dataDir()
                .resolve("instances")
                .resolve(id)
                .resolve("disks")
                .resolve("root.qcow2"));
        JsonNode t = daemon.task("/api/v1/instances/broken/start", null);
        assertThat(t.path("state").asText()).isEqualTo("failed");
        assertThat(daemon.instance("broken").path("state").path("reason").asText())
                .isEqualTo("start-failed");
        assertThat(bed.run(bed.host, "ip", "-br", "link").stdout())
                .as("no veth left in the bridges")
                .doesNotContain("vsl-v");
        assertThat(daemon.containers()).isEmpty();

        // The plug itself fails half-way: the second network's bridge is gone behind the daemon's back.
        assertThat(daemon.post(
                                "/api/v1/vms",
                                "{\"name\":\"halfway\",\"image\":\"tiny\",\"memory\":\"128M\",\"networks\":[{\"network\":\"default\"},"
                                        + "{\"network\":\"lab\"}]}")
                        .status())
                .isEqualTo(201);
        String labBridge = daemon.get("/api/v1/networks/lab").path("bridge").asText();
        bed.run(bed.host, "ip", "link", "del", labBridge);
        t = daemon.task("/api/v1/instances/halfway/start", null);
        assertThat(t.path("state").asText()).isEqualTo("failed");
        assertThat(t.path("error").path("detail").asText()).contains(labBridge);
        assertThat(bed.run(bed.host, "ip", "-br", "link").stdout()).doesNotContain("vsl-v");
        assertThat(daemon.containers()).isEmpty();
        assertThat(LeakIT.qemuProcessesMentioning(
                        daemon.instance("halfway").path("id").asText()))
                .isEmpty();

        // A restart brings the bridge back (restore); removals then leave the state of before.
        daemon.stop();
        daemon.start();
        for (String vm : List.of("broken", "halfway")) {
            assertThat(status("DELETE", "/api/v1/instances/" + vm, null)).isEqualTo(204);
        }
        bed.assertClean(withLab);
        assertThat(status("DELETE", "/api/v1/networks/lab", null)).isEqualTo(204);
        bed.assertClean(clean);
    }

    List<Long> dnsmasqPids() throws Exception {
        return NetTestBed.pids(bed.host).stream()
                .filter(p -> ProcessHandle.of(p)
                        .flatMap(h -> h.info().command())
                        .map(c -> c.endsWith("dnsmasq"))
                        .orElse(false))
                .sorted()
                .toList();
    }
}
