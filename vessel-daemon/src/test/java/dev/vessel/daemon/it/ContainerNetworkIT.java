package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Real containers (runc, a busybox image) and a real VM on managed networks, with the daemon inside a namespace the
 * test made: a container reaches the VM by name, the VM reaches a container by name, a container's published port
 * answers on the host's 127.0.0.1 and from outside, networks are isolated, and removing everything leaves the clean
 * state.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerNetworkIT {
    static NetTestBed bed;
    static DaemonProcess daemon;
    static NetTestBed.Snapshot clean;
    static Path dir;
    static String webIp;

    @BeforeAll
    static void start() throws Exception {
        bed = new NetTestBed();
        daemon = bed.daemon;
        dir = Files.createTempDirectory(Path.of("/tmp"), "vt-img-");
        ContainerSupport.load(daemon, dir, "netbox:1", c -> c);
        clean = bed.snapshot();
        var r = daemon.post("/api/v1/vms", "{\"name\":\"web\",\"image\":\"tiny\",\"memory\":\"128M\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        daemon.okTask("/api/v1/instances/web/start?wait=true", null);
        webIp = daemon.instance("web").path("networks").get(0).path("ip").asText();
        bed.awaitPage(bed.host, "http://" + webIp + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (bed != null) {
                bed.close();
            }
        } finally {
            if (dir != null) {
                dev.vessel.host.AtomicFiles.deleteTree(dir);
            }
        }
    }

    static JsonNode run(String name, String network, String script) throws InterruptedException {
        String net = network == null ? "" : ",\"network\":\"" + network + "\"";
        return ContainerSupport.runToEnd(
                daemon,
                "{\"name\":\"" + name + "\",\"image\":\"netbox:1\"" + net + ",\"command\":[\"sh\",\"-c\",\"" + script
                        + "\"]}");
    }

    @Test
    @Order(1)
    void aContainerOnTheDefaultNetworkReachesTheVmByName() throws Exception {
        JsonNode c = run(
                "client",
                null,
                "cat /etc/resolv.conf; ip -4 -o addr show dev eth0; ip route; wget -q -O - http://web/; nslookup web");
        String logs = ContainerSupport.logs(daemon, "client");
        assertThat(c.path("state").path("exitCode").asInt()).as(logs).isZero();
        String ip = daemon.instance("client").path("networks").get(0).path("ip").asText();
        assertThat(logs)
                .contains(
                        "nameserver 10.88.0.1",
                        "search vessel",
                        "inet " + ip + "/16",
                        "default via 10.88.0.1 dev eth0",
                        "<h1>web</h1>",
                        "Address: " + webIp);
        assertThat(daemon.get("/api/v1/networks/default").path("leases").toString())
                .contains("\"hostname\":\"client\"");
    }

    @Test
    @Order(2)
    void aContainersPublishedPortAnswersOnLocalhostFromOutsideAndTheVmReachesItByName() throws Exception {
        var made = ContainerSupport.create(
                daemon,
                "{\"name\":\"srv\",\"image\":\"netbox:1\",\"ports\":[\"8088:80\"],\"command\":[\"sh\",\"-c\","
                        + "\"mkdir -p /www && echo hello-from-srv > /www/index.html && exec httpd -f -p 80 -h /www\"]}");
        assertThat(made.path("networks").get(0).path("ip").asText())
                .as("the address is known at create")
                .startsWith("10.88.");
        ContainerSupport.start(daemon, "srv");
        assertThat(bed.awaitPage(bed.host, "http://127.0.0.1:8088/")).isEqualTo("hello-from-srv\n");
        assertThat(bed.fetch(bed.outside, "http://" + NetTestBed.HOST_ADDRESS + ":8088/"))
                .isEqualTo("hello-from-srv\n");
        assertThat(GuestShell.run(daemon, "web", "wget -q -O - http://srv/", Duration.ofSeconds(30)))
                .contains("hello-from-srv");
        var taken =
                daemon.post("/api/v1/containers", "{\"name\":\"srv2\",\"image\":\"netbox:1\",\"ports\":[\"8088:80\"]}");
        assertThat(taken.status()).as(taken.text()).isEqualTo(409);
        assertThat(taken.text()).contains("port 8088/tcp is already forwarded to 'srv'");
        assertThat(daemon.client().call("GET", "/api/v1/instances/srv2", null).status())
                .as("nothing stored")
                .isEqualTo(404);
    }

    @Test
    @Order(3)
    void aContainerOnAnotherNetworkCannotReachTheVmAndNoneHasOnlyLoopback() throws Exception {
        assertThat(daemon.post("/api/v1/networks", "{\"name\":\"lab\",\"subnet\":\"10.89.0.0/24\"}")
                        .status())
                .isEqualTo(201);
        run(
                "labber",
                "lab",
                "ip -4 -o addr show dev eth0; ping -c 1 -W 2 " + webIp + " && echo REACHED || echo BLOCKED");
        assertThat(ContainerSupport.logs(daemon, "labber"))
                .contains("inet 10.89.0.")
                .contains("BLOCKED")
                .doesNotContain("REACHED");
        run("lonely", "none", "ip -o link; cat /etc/resolv.conf 2>&1 | head -n 3");
        assertThat(ContainerSupport.logs(daemon, "lonely")).contains("lo:").doesNotContain("eth0");
        assertThat(daemon.instance("lonely").path("networks").size()).isZero();
    }

    @Test
    @Order(4)
    void removingEverythingLeavesTheCleanState() throws Exception {
        for (String i : new String[] {"client", "srv", "labber", "lonely", "web"}) {
            var r = daemon.client().call("DELETE", "/api/v1/instances/" + i + "?force=true", null);
            assertThat(r.status()).as(i + ": " + r.text()).isEqualTo(204);
        }
        assertThat(daemon.client().call("DELETE", "/api/v1/networks/lab", null).status())
                .isEqualTo(204);
        bed.assertClean(clean);
    }
}
