package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Bad network input gets a clear answer (status, problem code, a message naming the culprit) and changes nothing:
 * links, rules, processes, the store and dnsmasq's files are the same before and after each refused request.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class NetworkBadInputIT {
    static NetTestBed bed;
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        bed = new NetTestBed();
        daemon = bed.daemon;
        var r = daemon.post(
                "/api/v1/vms",
                "{\"name\":\"a\",\"image\":\"tiny\",\"memory\":\"128M\",\"networks\":[{\"network\":\"default\",\"ip\":\"10.88.0.50\"}],"
                        + "\"ports\":[\"8080:80\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    /** Sends the request, expects the refusal, and checks that nothing changed. */
    static void refused(String method, String path, String body, int status, String code, String... inMessage)
            throws Exception {
        var before = bed.snapshot();
        var r = daemon.client().call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status())
                .as("%s %s %s -> %s", method, path, body, r.text())
                .isEqualTo(status);
        JsonNode p = Json.tree(r.text());
        assertThat(p.path("code").asText()).isEqualTo(code);
        assertThat(p.path("detail").asText()).contains(inMessage);
        bed.assertClean(before);
    }

    static void badNetwork(String json, int status, String code, String... inMessage) throws Exception {
        refused("POST", "/api/v1/networks", json, status, code, inMessage);
    }

    @Test
    void badNetworksAreRefused() throws Exception {
        badNetwork("{\"name\":\"x\",\"subnet\":\"10.77.0.0/33\"}", 400, "invalid-input", "subnet", "bad prefix length");
        badNetwork(
                "{\"name\":\"x\",\"subnet\":\"10.77.0.1/24\"}",
                400,
                "invalid-input",
                "host bits set; did you mean 10.77.0.0/24?");
        badNetwork("{\"name\":\"x\",\"subnet\":\"10.77.0.0\"}", 400, "invalid-input", "no prefix length");
        badNetwork("{\"name\":\"x\",\"subnet\":\"300.1.0.0/16\"}", 400, "invalid-input", "not an IPv4 address");
        badNetwork("{\"name\":\"x\",\"subnet\":\"10.77.0.0/31\"}", 400, "invalid-input", "outside /8../30");
        badNetwork(
                "{\"name\":\"x\",\"subnet\":\"10.88.128.0/24\"}",
                409,
                "in-use",
                "overlaps network 'default' (10.88.0.0/16)");
        badNetwork(
                "{\"name\":\"x\",\"subnet\":\"" + NetTestBed.HOST_ADDRESS.replaceAll("\\.1$", ".0") + "/24\"}",
                409,
                "in-use",
                "overlaps the host's route to 192.0.2.0/24 via vt-ext0");
        badNetwork(
                "{\"name\":\"x\",\"subnet\":\"10.77.0.0/24\",\"gateway\":\"10.78.0.1\"}",
                400,
                "invalid-input",
                "10.78.0.1 is outside 10.77.0.0/24");
        badNetwork(
                "{\"name\":\"x\",\"subnet\":\"10.77.0.0/24\",\"nat\":true,\"isolated\":true}",
                400,
                "invalid-input",
                "an isolated network cannot have NAT");
        badNetwork("{\"name\":\"none\",\"subnet\":\"10.77.0.0/24\"}", 400, "invalid-input", "'none' is reserved");
        badNetwork("{\"name\":\"Bad_Name\",\"subnet\":\"10.77.0.0/24\"}", 400, "invalid-input", "not a valid name");
        badNetwork(
                "{\"name\":\"default\",\"subnet\":\"10.77.0.0/24\"}",
                409,
                "already-exists",
                "network 'default' already exists");
        badNetwork(
                "{\"name\":\"x\",\"subnet\":\"10.77.0.0/24\",\"colour\":\"blue\"}",
                400,
                "invalid-input",
                "unknown field");
        refused("DELETE", "/api/v1/networks/default", null, 409, "in-use", "network 'default' is in use by 'a'");
        refused("DELETE", "/api/v1/networks/ghost", null, 404, "not-found", "network 'ghost' not found");
    }

    static void badVm(String extra, int status, String code, String... inMessage) throws Exception {
        refused(
                "POST",
                "/api/v1/vms",
                "{\"name\":\"b\",\"image\":\"tiny\",\"memory\":\"128M\"," + extra + "}",
                status,
                code,
                inMessage);
        assertThat(Files.list(daemon.dataDir().resolve("instances")).count())
                .as("only a's directory")
                .isEqualTo(1);
    }

    @Test
    void badNicsAndPortsAtCreateStoreNothing() throws Exception {
        badVm(
                "\"networks\":[{\"network\":\"default\",\"ip\":\"10.99.0.5\"}]",
                400,
                "invalid-input",
                "10.99.0.5 is outside network 'default'");
        badVm(
                "\"networks\":[{\"network\":\"default\",\"ip\":\"10.88.0.1\"}]",
                400,
                "invalid-input",
                "is the gateway of network 'default'");
        badVm(
                "\"networks\":[{\"network\":\"default\",\"ip\":\"10.88.255.255\"}]",
                400,
                "invalid-input",
                "broadcast address");
        badVm(
                "\"networks\":[{\"network\":\"default\",\"ip\":\"10.88.0.050\"}]",
                400,
                "invalid-input",
                "not an IPv4 address");
        badVm(
                "\"networks\":[{\"network\":\"default\",\"ip\":\"10.88.0.50\"}]",
                409,
                "in-use",
                "10.88.0.50 in network 'default' is already held by 'a'");
        badVm("\"networks\":[{\"network\":\"ghost\"}]", 404, "not-found", "network 'ghost' not found");
        badVm(
                "\"networks\":[{\"network\":\"default\"},{\"network\":\"default\"}]",
                400,
                "invalid-input",
                "given twice");
        badVm("\"ports\":[\"8080:80/sctp\"]", 400, "invalid-input", "unknown protocol 'sctp': use tcp or udp");
        badVm("\"ports\":[\"70000:80\"]", 400, "invalid-input", "70000 is outside 1..65535");
        badVm("\"ports\":[\"8080\"]", 400, "invalid-input", "is not HOST_PORT:TARGET_PORT");
        badVm("\"ports\":[\"8080:80\"]", 409, "in-use", "port 8080/tcp is already forwarded to 'a'");
        badVm("\"ports\":[\"22:22\"]", 409, "in-use", "port 22/tcp is a management port (the host's SSH)");
        badVm("\"ports\":[\"53:53/udp\"]", 409, "in-use", "the DNS of network 'default'");
        badVm(
                "\"networks\":[],\"ports\":[\"8082:80\"]",
                409,
                "invalid-state",
                "instance 'b' has no address on any network");
    }

    @Test
    void badRuntimeRequestsAreRefused() throws Exception {
        refused(
                "POST",
                "/api/v1/ports",
                "{\"instance\":\"ghost\",\"port\":\"9000:80\"}",
                404,
                "not-found",
                "instance 'ghost' not found");
        refused(
                "POST",
                "/api/v1/ports",
                "{\"instance\":\"a\",\"port\":\"9000:80/icmp\"}",
                400,
                "invalid-input",
                "unknown protocol 'icmp'");
        refused(
                "POST",
                "/api/v1/ports",
                "{\"instance\":\"a\",\"port\":\"8080:81\"}",
                409,
                "in-use",
                "already forwarded to 'a'");
        Process listener = new ProcessBuilder("ip", "netns", "exec", bed.host, "busybox", "nc", "-l", "-p", "9090")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
        try {
            awaitListening(9090);
            refused(
                    "POST",
                    "/api/v1/ports",
                    "{\"instance\":\"a\",\"port\":\"9090:80\"}",
                    409,
                    "in-use",
                    "port 9090/tcp is in use by busybox (pid");
        } finally {
            listener.destroyForcibly().waitFor();
        }
        refused("DELETE", "/api/v1/ports/8080?protocol=sctp", null, 400, "invalid-input", "unknown protocol 'sctp'");
        refused("DELETE", "/api/v1/ports/9999", null, 404, "not-found", "port forward '9999/tcp' not found");
        refused("DELETE", "/api/v1/ports/99999", null, 400, "invalid-input", "hostPort");
        refused(
                "POST",
                "/api/v1/instances/a/nics",
                "{\"network\":\"default\"}",
                400,
                "invalid-input",
                "is on network 'default' already");
        refused(
                "POST",
                "/api/v1/instances/a/nics",
                "{\"network\":\"ghost\"}",
                404,
                "not-found",
                "network 'ghost' not found");
        refused("DELETE", "/api/v1/instances/a/nics/5", null, 404, "not-found", "nic 'a/5' not found");
    }

    static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (bed.run(bed.host, "ss", "-Hltn", "sport = :" + port).stdout().contains(":" + port)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing listens on " + port);
    }
}
