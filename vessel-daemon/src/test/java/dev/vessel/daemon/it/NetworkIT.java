package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.http.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Managed networks end to end: a real daemon inside a namespace the test made, real bridges, nft, dnsmasq, runc and
 * QEMU. The tiny guest runs udhcpc on eth0 and busybox httpd on port 80. Traffic stays in the test's namespaces.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkIT {
    static NetTestBed bed;
    static DaemonProcess daemon;
    static String webIp;

    @BeforeAll
    static void start() throws Exception {
        for (String tool : List.of("/usr/sbin/dnsmasq", "/usr/sbin/nft", "/usr/bin/busybox", "/usr/bin/nsenter")) {
            assumeTrue(
                    Files.isExecutable(Path.of(tool)),
                    tool + " is missing: apt-get install dnsmasq-base nftables busybox-static util-linux");
        }
        bed = new NetTestBed();
        daemon = bed.daemon;
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    static ApiClient.Response post(String path, String json) {
        return daemon.post(path, json);
    }

    static ApiClient.Response delete(String path) {
        return daemon.client().call("DELETE", path, null);
    }

    @Test
    @Order(1)
    void theGuestGetsItsPinnedAddressByDhcpAndServesHttpByAddressAndThroughAForwardedPort() throws Exception {
        var r = post(
                "/api/v1/vms",
                "{\"name\":\"web\",\"image\":\"tiny\",\"memory\":\"128M\",\"ports\":[\"8080:80\",\"127.0.0.1:8081:80\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode nic = daemon.instance("web").path("networks").get(0);
        assertThat(nic.path("network").asText()).isEqualTo("default");
        webIp = nic.path("ip").asText();
        assertThat(webIp).startsWith("10.88.");
        assertThat(nic.path("mac").asText())
                .startsWith("0a:56:65:")
                .isEqualTo(daemon.instance("web").path("spec").path("mac").asText());
        assertThat(nic.path("lease").path("state").asText())
                .as("created, not running: the address is only reserved")
                .isEqualTo("reserved");

        daemon.okTask("/api/v1/instances/web/start?wait=true", null);
        // The tiny guest asks for its address by DHCP before it says it is ready: now it holds it.
        JsonNode leased = daemon.instance("web").path("networks").get(0).path("lease");
        assertThat(leased.path("state").asText()).isEqualTo("leased");
        assertThat(leased.path("source").asText()).isEqualTo("dhcp");
        assertThat(java.time.Instant.parse(leased.path("since").asText()))
                .isAfter(java.time.Instant.now().minusSeconds(120));
        assertThat(java.time.Instant.parse(leased.path("expires").asText())).isAfter(java.time.Instant.now());
        // From the "host" (the daemon's namespace), by the guest's own address: no NAT in between.
        assertThat(bed.awaitPage(bed.host, "http://" + webIp + "/")).contains("<h1>web</h1>");
        String lease = Files.readString(daemon.dataDir().resolve("net/networks/default/dnsmasq.leases"));
        assertThat(lease).as("the guest's DHCP lease").contains(nic.path("mac").asText() + " " + webIp + " web");
        // Through the published ports: the host's own 127.0.0.1, its external address, and from outside.
        assertThat(bed.fetch(bed.host, "http://127.0.0.1:8080/")).contains("<h1>web</h1>");
        assertThat(bed.fetch(bed.host, "http://127.0.0.1:8081/")).contains("<h1>web</h1>");
        assertThat(bed.fetch(bed.outside, "http://" + NetTestBed.HOST_ADDRESS + ":8080/"))
                .contains("<h1>web</h1>");
        assertThat(bed.fetch(bed.outside, "http://" + NetTestBed.HOST_ADDRESS + ":8081/"))
                .as("bound to 127.0.0.1 only")
                .isNull();
    }

    @Test
    @Order(2)
    void qemuSitsInItsOwnNamespaceWithOnlyItsTapAndNoWayOut() throws Exception {
        long pid = daemon.instance("web").path("runtime").path("pid").asLong();
        String ns = "/proc/" + pid + "/ns/net";
        var links = bed.runner
                .run(NetTestBed.TIMEOUT, "nsenter", "--net=" + ns, "ip", "-br", "-o", "addr")
                .stdout();
        assertThat(links).contains("vsl-tap0", "vsl-br0", "vsl-e0").doesNotContain("10.88.", "fe80");
        assertThat(bed.runner
                        .run(NetTestBed.TIMEOUT, "nsenter", "--net=" + ns, "ip", "route")
                        .stdout())
                .isBlank();
        assertThat(daemon.instance("web").path("runtime").path("command").toString())
                .contains("tap,id=net0,ifname=vsl-tap0,script=no,downscript=no", "virtio-net-pci,netdev=net0");
    }

    @Test
    @Order(3)
    void aContainerOnTheSameNetworkReachesTheVmByName() throws Exception {
        var ctr = bed.container("default", "client");
        assertThat(bed.run(ctr.ns(), "busybox", "nslookup", "web.vessel").stdout())
                .contains("Address: " + webIp);
        assertThat(bed.fetch(ctr.ns(), "http://web/")).contains("<h1>web</h1>");
        // and the VM's network knows the container's name too
        assertThat(bed.run(bed.host, "busybox", "nslookup", "client", gateway("default"))
                        .stdout())
                .contains(ctr.lease().address().toString());
        // nothing is resolved beyond the network: dnsmasq has no upstream
        assertThat(bed.exec(ctr.ns(), "busybox", "nslookup", "debian.org").stdout())
                .doesNotContain("Address: 1", "Address: 2");
    }

    @Test
    @Order(4)
    void twoNetworksAreIsolatedUnlessPeered() throws Exception {
        assertThat(post("/api/v1/networks", "{\"name\":\"lab\",\"subnet\":\"10.89.0.0/24\"}")
                        .status())
                .isEqualTo(201);
        assertThat(post("/api/v1/networks", "{\"name\":\"peer\",\"subnet\":\"10.90.0.0/24\",\"peers\":[\"default\"]}")
                        .status())
                .isEqualTo(201);
        var lab = bed.container("lab", "labber");
        var peer = bed.container("peer", "peerer");
        assertThat(bed.ping(lab.ns(), gateway("lab"))).as("lab -> its gateway").isTrue();
        assertThat(bed.ping(lab.ns(), webIp)).as("lab -> web on default").isFalse();
        assertThat(bed.fetch(lab.ns(), "http://" + webIp + "/")).isNull();
        assertThat(bed.fetch(peer.ns(), "http://" + webIp + "/"))
                .as("peer -> web (peered with default)")
                .contains("<h1>web</h1>");
        assertThat(bed.ping(peer.ns(), lab.lease().address().toString()))
                .as("peer -> lab")
                .isFalse();
        // a published port reaches its instance from any network
        assertThat(bed.fetch(lab.ns(), "http://" + gateway("lab") + ":8080/")).contains("<h1>web</h1>");
    }

    @Test
    @Order(5)
    void aNicIsPluggedIntoTheRunningGuestGetsItsPinnedAddressAndIsUnpluggedAgain() throws Exception {
        var r = post("/api/v1/instances/web/nics", "{\"network\":\"lab\",\"ip\":\"10.89.0.77\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(daemon.get("/api/v1/instances/web/nics").toString()).contains("10.89.0.77");
        // The guest sees eth1 appear and gets the lease pinned to its MAC.
        String out = GuestShell.run(
                daemon,
                "web",
                "for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /sys/class/net/eth1 ] && break; sleep 1; done;"
                        + " udhcpc -i eth1 -s /etc/udhcpc.script -n -q -t 5 -T 1 2>&1 | tail -n 2",
                Duration.ofSeconds(60));
        assertThat(out).contains("10.89.0.77");
        var labber = bed.container("lab", "labber2");
        assertThat(bed.fetch(labber.ns(), "http://10.89.0.77/"))
                .as("lab reaches web on its new NIC")
                .contains("<h1>web</h1>");

        assertThat(delete("/api/v1/instances/web/nics/1").status()).isEqualTo(204);
        assertThat(GuestShell.run(daemon, "web", "ls /sys/class/net", Duration.ofSeconds(30)))
                .doesNotContain("eth1");
        long pid = daemon.instance("web").path("runtime").path("pid").asLong();
        assertThat(bed.runner
                        .run(NetTestBed.TIMEOUT, "nsenter", "--net=/proc/" + pid + "/ns/net", "ip", "-br", "link")
                        .stdout())
                .doesNotContain("vsl-tap1", "vsl-br1", "vsl-e1");
        assertThat(daemon.get("/api/v1/networks/lab").path("leases").toString()).doesNotContain("10.89.0.77");
        assertThat(bed.fetch(labber.ns(), "http://10.89.0.77/")).isNull();
    }

    @Test
    @Order(6)
    void inspectAndListingsShowTheGuestsRealAddress() {
        JsonNode all = daemon.get("/api/v1/instances");
        assertThat(all.get(0).path("networks").get(0).path("ip").asText()).isEqualTo(webIp);
        JsonNode net = daemon.get("/api/v1/networks/default");
        assertThat(net.path("leases").toString()).contains(webIp, "\"hostname\":\"web\"");
        assertThat(net.path("forwards").toString()).contains("8080", "8081");
        assertThat(daemon.get("/api/v1/networks").get(0).path("instances").toString())
                .contains("\"web\"", "\"client\"");
    }

    @Test
    @Order(7)
    void aCloneGetsItsOwnMacAndAddressOnTheSameNetworks() throws Exception {
        daemon.okTask("/api/v1/instances/web/stop?timeout=20", null);
        JsonNode web = daemon.instance("web");
        assertThat(web.path("networks").get(0).path("ip").asText())
                .as("a stopped VM keeps its address")
                .isEqualTo(webIp);
        daemon.okTask("/api/v1/instances/web/clone", "{\"name\":\"web2\",\"mode\":\"full\"}");
        // The clone has its own MAC and address from the moment it exists, as a created VM has: inspect shows them.
        JsonNode cloned = daemon.instance("web2").path("networks").get(0);
        assertThat(cloned.path("mac").asText())
                .startsWith("0a:56:65:")
                .isNotEqualTo(web.path("networks").get(0).path("mac").asText());
        assertThat(cloned.path("ip").asText()).startsWith("10.88.").isNotEqualTo(webIp);
        assertThat(cloned.path("lease").path("state").asText()).isEqualTo("reserved");
        daemon.okTask("/api/v1/instances/web2/start?wait=true", null);
        // and its own SMBIOS UUID (the guest's /sys/class/dmi/id/product_uuid)
        var command = new java.util.ArrayList<String>();
        daemon.instance("web2").path("runtime").path("command").forEach(a -> command.add(a.asText()));
        String uuid = command.get(command.indexOf("-uuid") + 1);
        assertThat(uuid)
                .isEqualTo(dev.vessel.qemu.QemuVmDriver.smbiosUuid(
                                daemon.instance("web2").path("id").asText())
                        .toString())
                .isNotEqualTo(
                        dev.vessel.qemu.QemuVmDriver.smbiosUuid(web.path("id").asText())
                                .toString());
        assertThat(GuestShell.run(daemon, "web2", "cat /sys/class/dmi/id/product_uuid", Duration.ofSeconds(30)))
                .containsIgnoringCase(uuid);
        JsonNode nic = daemon.instance("web2").path("networks").get(0);
        assertThat(nic.path("network").asText()).isEqualTo("default");
        assertThat(nic.path("mac").asText())
                .startsWith("0a:56:65:")
                .isNotEqualTo(web.path("networks").get(0).path("mac").asText())
                .isEqualTo(daemon.instance("web2").path("spec").path("mac").asText());
        assertThat(nic.path("ip").asText())
                .isNotEqualTo(webIp)
                .isEqualTo(cloned.path("ip").asText());
        assertThat(nic.path("mac").asText()).isEqualTo(cloned.path("mac").asText());
        assertThat(bed.awaitPage(bed.host, "http://" + nic.path("ip").asText() + "/"))
                .contains("<h1>web2</h1>");
        assertThat(delete("/api/v1/instances/web2?force=true").status()).isEqualTo(204);
        assertThat(daemon.get("/api/v1/networks/default").path("leases").toString())
                .doesNotContain(nic.path("ip").asText());
    }

    @Test
    @Order(8)
    void debiansUdevNamesNicZeroEns18AndAHotPluggedNicOneEns19() throws Exception {
        // Debian 12's own systemd-udevd in the tiny guest: the names a Debian, Ubuntu or Proxmox-made image sees.
        Path images = daemon.dataDir().resolve("images/tiny");
        Path initrd = UdevGuest.build(
                images.resolve("initrd.img"),
                Files.createDirectories(daemon.dataDir().resolve("udev-guest")));
        var r = post(
                "/api/v1/vms",
                "{\"name\":\"named\",\"memory\":\"256M\",\"kernel\":\"" + images.resolve("vmlinuz") + "\",\"initrd\":\""
                        + initrd + "\",\"cmdline\":\"console=ttyS0 panic=-1\",\"readyMarker\":\"VESSEL-READY\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        daemon.okTask("/api/v1/instances/named/start?wait=true", null);
        String boot = daemon.client()
                .call("GET", "/api/v1/instances/named/logs", null)
                .text();
        assertThat(boot).containsPattern("VESSEL-NICS: ens18 lo");
        // This guest's init brings up no DHCP client (it looks for eth0, which udev renamed): the address stays
        // reserved.
        assertThat(daemon.instance("named")
                        .path("networks")
                        .get(0)
                        .path("lease")
                        .path("state")
                        .asText())
                .isEqualTo("reserved");

        assertThat(post("/api/v1/instances/named/nics", "{\"network\":\"lab\"}").status())
                .isEqualTo(201);
        String names = GuestShell.run(
                daemon,
                "named",
                "for i in $(seq 1 20); do [ -e /sys/class/net/ens19 ] && break; sleep 1; done;"
                        + " ls /sys/class/net | tr '\\n' ' '",
                Duration.ofSeconds(60));
        // the last line is the listing (the kernel's messages about the new device come before it)
        assertThat(names.lines().reduce((a, b) -> b).orElse("").strip())
                .as("the NIC plugged in while it runs")
                .isEqualTo("ens18 ens19 lo");
        // and after a restart both keep their names
        daemon.okTask("/api/v1/instances/named/restart?wait=true&timeout=20", null);
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/named/logs", null)
                        .text())
                .containsPattern("VESSEL-NICS: ens18 ens19 lo");
        assertThat(delete("/api/v1/instances/named?force=true").status()).isEqualTo(204);
    }

    @Test
    @Order(9)
    void withoutAReadyMarkerStartWaitWaitsForTheLeaseOrAPort() throws Exception {
        Path tiny = daemon.dataDir().resolve("images/tiny");
        String kernel = "\"kernel\":\"" + tiny.resolve("vmlinuz") + "\",\"cmdline\":\"console=ttyS0 panic=-1\"";
        // The tiny guest without its marker: the sign is its DHCP lease, which it asks for while it boots.
        assertThat(post(
                                "/api/v1/vms",
                                "{\"name\":\"nomark\",\"memory\":\"128M\"," + kernel + ",\"initrd\":\""
                                        + tiny.resolve("initrd.img") + "\"}")
                        .status())
                .isEqualTo(201);
        JsonNode t = daemon.okTask("/api/v1/instances/nomark/start?wait=true", null);
        String log = daemon.get("/api/v1/tasks/" + t.path("id").asText() + "/log")
                .findValuesAsText("line")
                .toString();
        assertThat(log).contains("the guest is ready: it showed its DHCP lease of 10.88.");
        assertThat(daemon.instance("nomark")
                        .path("networks")
                        .get(0)
                        .path("lease")
                        .path("state")
                        .asText())
                .isEqualTo("leased");
        // Again: dnsmasq still has the lease of the first boot (it expires in an hour); only a lease of this boot
        // counts.
        daemon.okTask("/api/v1/instances/nomark/stop?timeout=20", null);
        assertThat(daemon.instance("nomark")
                        .path("networks")
                        .get(0)
                        .path("lease")
                        .path("state")
                        .asText())
                .isEqualTo("reserved");
        daemon.okTask("/api/v1/instances/nomark/start?wait=true", null);
        JsonNode again = daemon.instance("nomark");
        assertThat(java.time.Instant.parse(again.path("networks")
                        .get(0)
                        .path("lease")
                        .path("since")
                        .asText()))
                .isAfterOrEqualTo(java.time.Instant.parse(
                                again.path("runtime").path("startedAt").asText())
                        .minusSeconds(1));
        // or a port of the guest's: its httpd
        daemon.okTask("/api/v1/instances/nomark/stop?timeout=20", null);
        t = daemon.okTask("/api/v1/instances/nomark/start?wait=true&waitPort=80", null);
        log = daemon.get("/api/v1/tasks/" + t.path("id").asText() + "/log")
                .findValuesAsText("line")
                .toString();
        assertThat(log).containsPattern("it showed TCP port 80 answering on 10\\.88\\.");
        assertThat(bed.fetch(
                        bed.host,
                        "http://"
                                + daemon.instance("nomark")
                                        .path("networks")
                                        .get(0)
                                        .path("ip")
                                        .asText() + "/"))
                .contains("<h1>nomark</h1>");
        assertThat(delete("/api/v1/instances/nomark?force=true").status()).isEqualTo(204);

        // A guest that never asks for its lease (udev renamed eth0, so the tiny init starts no DHCP client) is not
        // ready, however long it runs: the wait ends in a timeout that names the sign, not in a success at once.
        Path initrd = daemon.dataDir().resolve("udev-guest/udev-initrd.img");
        assertThat(post(
                                "/api/v1/vms",
                                "{\"name\":\"silent\",\"memory\":\"256M\"," + kernel + ",\"initrd\":\"" + initrd
                                        + "\"}")
                        .status())
                .isEqualTo(201);
        JsonNode failed = daemon.task("/api/v1/instances/silent/start?wait=true&timeout=8", null);
        assertThat(failed.path("state").asText()).isEqualTo("failed");
        assertThat(failed.path("error").path("detail").asText())
                .contains("did not show its DHCP lease of 10.88.")
                .contains("within 8 s");
        assertThat(delete("/api/v1/instances/silent?force=true").status()).isEqualTo(204);
    }

    static String gateway(String network) {
        return daemon.get("/api/v1/networks/" + network)
                .path("spec")
                .path("gateway")
                .asText();
    }
}
