package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library against the real kernel, nftables, dnsmasq and busybox, entirely inside namespaces the test creates:
 * "host" is the namespace the library manages (through {@link HostNet#inNamespace}), containers and an outside client
 * are namespaces of their own. Needs root and {@code dnsmasq-base nftables iproute2 busybox-static}.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class NetworkIT {
    @TempDir
    Path tmp;

    Netns netns;
    String host;
    Path state;
    InMemoryNetworkStore store;
    NetworkManager manager;
    Netns.Snapshot before;

    @BeforeEach
    void setUp() throws Exception {
        for (String tool :
                List.of("/usr/sbin/dnsmasq", "/usr/sbin/nft", "/usr/sbin/ip", "/usr/bin/busybox", "/usr/bin/nsenter")) {
            assumeTrue(
                    Files.isExecutable(Path.of(tool)),
                    tool + " is missing: apt-get install dnsmasq-base nftables iproute2 busybox-static");
        }
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root");
        netns = new Netns();
        host = netns.create("host");
        // dnsmasq drops to "nobody" and re-reads its host files as that user: the state dir must be traversable.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        state = Files.createDirectory(tmp.resolve("state"));
        store = new InMemoryNetworkStore();
        manager = newManager(store, new JsonFileIpamStore(state.resolve("ipam.json")));
        before = netns.snapshot(host);
    }

    NetworkManager newManager(NetworkStore networks, IpamStore leases) {
        return new NetworkManager(HostNet.inNamespace(netns.runner, host), state, networks, leases);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (netns == null) {
            return;
        }
        try {
            manager.destroyAll();
        } finally {
            netns.close();
        }
    }

    NetworkSpec net(String name, String subnet, boolean nat, String... peers) {
        return manager.create(NetworkSpec.parse(name, subnet, null, nat, false, List.of(peers)));
    }

    /** A "container": its own namespace, plugged into the network with a static address from IPAM. */
    record Ctr(String ns, Lease lease) {}

    Ctr container(String network, String name) {
        String ns = netns.create("ctr");
        Lease lease = manager.attachContainer(
                network,
                AllocationRequest.dynamic(new LeaseOwner("id-" + name, 0), name),
                new NetnsRef.Named(ns),
                ContainerNic.staticAddress(0));
        return new Ctr(ns, lease);
    }

    boolean ping(String fromNs, Ipv4 to) {
        return netns.exec(fromNs, "busybox", "ping", "-c", "1", "-W", "2", to.toString())
                .ok();
    }

    @Test
    void aContainerOnANetworkAndTheHostReachEachOther() throws Exception {
        var spec = net("web", "10.201.0.0/24", true);
        var ctr = container("web", "api");

        assertThat(ctr.lease().address()).hasToString("10.201.0.2");
        assertThat(ping(host, ctr.lease().address())).as("host -> container").isTrue();
        assertThat(ping(ctr.ns(), spec.gateway())).as("container -> host").isTrue();
        assertThat(netns.run(ctr.ns(), "ip", "-br", "link", "show", "dev", "eth0")
                        .stdout())
                .contains(ctr.lease().mac().value());
        assertThat(netns.run(ctr.ns(), "ip", "route").stdout()).contains("default via 10.201.0.1 dev eth0");

        var info = manager.inspect("web");
        assertThat(info.bridgePresent()).isTrue();
        assertThat(info.dnsmasqPid()).isNotNull();
        assertThat(info.leases()).containsExactly(ctr.lease());
        assertThat(netns.links(host))
                .contains(spec.bridge(), HostNames.hostVeth(ctr.lease().owner()), "master " + spec.bridge());
        assertThat(netns.ruleset(host))
                .contains(
                        "table inet vessel",
                        "table ip vessel-nat",
                        "ip saddr 10.201.0.0/24 oifname != \"vsl-b*\" masquerade");
        assertThat(netns.run(host, "sysctl", "-n", "net.ipv4.ip_forward")
                        .stdout()
                        .strip())
                .isEqualTo("1");
    }

    @Test
    void dhcpGivesAContainerTheAddressPinnedToItsMac() {
        net("web", "10.201.0.0/24", true);
        container("web", "first"); // takes .2, so the DHCP client must get the pinned .3, not "the first free"
        String ns = netns.create("dhcp");
        Lease lease = manager.attachContainer(
                "web",
                AllocationRequest.dynamic(new LeaseOwner("id-dhcp", 0), "dhcp"),
                new NetnsRef.Named(ns),
                ContainerNic.dhcp(0));

        var r = netns.run(
                ns, "busybox", "udhcpc", "-i", "eth0", "-f", "-q", "-n", "-t", "5", "-T", "1", "-s", "/bin/true");
        assertThat(r.stdout() + r.stderr()).contains("lease of " + lease.address() + " obtained");
        assertThat(lease.address()).hasToString("10.201.0.3");

        // a MAC that IPAM never pinned gets nothing: DHCP hands out no address of its own
        String rogue = netns.create("rogue");
        netns.run(host, "ip", "link", "add", "vt-rogue", "type", "veth", "peer", "name", "eth0", "netns", rogue);
        netns.run(host, "ip", "link", "set", "dev", "vt-rogue", "master", HostNames.bridge("web"), "up");
        netns.run(rogue, "ip", "link", "set", "dev", "eth0", "up");
        var refused = netns.exec(
                rogue, "busybox", "udhcpc", "-i", "eth0", "-f", "-q", "-n", "-t", "3", "-T", "1", "-s", "/bin/true");
        assertThat(refused.ok()).isFalse();
        assertThat(refused.stdout() + refused.stderr()).doesNotContain("obtained");
    }

    @Test
    void instanceNamesResolveAtTheGatewayAndNothingElseDoes() {
        var spec = net("web", "10.201.0.0/24", true);
        var api = container("web", "api");
        var db = container("web", "db");

        var r = netns.run(
                api.ns(), "busybox", "nslookup", "db.vessel", spec.gateway().toString());
        assertThat(r.stdout()).contains("Address: " + db.lease().address());
        var shortName = netns.run(
                api.ns(),
                "busybox",
                "nslookup",
                "-type=a",
                "api",
                spec.gateway().toString());
        assertThat(shortName.stdout()).contains("Address: " + api.lease().address());
        // No upstream: a name outside the network is refused, never forwarded.
        var outside = netns.exec(
                api.ns(),
                "busybox",
                "nslookup",
                "-type=a",
                "debian.org",
                spec.gateway().toString());
        assertThat(outside.stdout() + outside.stderr())
                .doesNotContain("Address: 1", "Address: 2")
                .contains("REFUSED");
    }

    @Test
    void networksAreIsolatedFromEachOtherUnlessPeered() {
        net("a", "10.202.0.0/24", true);
        net("b", "10.203.0.0/24", true);
        net("c", "10.204.0.0/24", true, "a");
        var a = container("a", "alpha");
        var b = container("b", "beta");
        var c = container("c", "gamma");

        assertThat(ping(a.ns(), b.lease().address())).as("a -> b").isFalse();
        assertThat(ping(b.ns(), a.lease().address())).as("b -> a").isFalse();
        assertThat(ping(b.ns(), c.lease().address())).as("b -> c").isFalse();
        assertThat(ping(a.ns(), c.lease().address())).as("a -> c (peered by c)").isTrue();
        assertThat(ping(c.ns(), a.lease().address())).as("c -> a").isTrue();
        // and a TCP connect is refused by the same rules
        assertThat(netns.exec(
                                a.ns(),
                                "busybox",
                                "nc",
                                "-w",
                                "2",
                                b.lease().address().toString(),
                                "80")
                        .ok())
                .isFalse();
    }

    @Test
    void aPublishedPortServesLocalhostTheHostsOwnAddressAndOutsideClients() throws Exception {
        net("web", "10.201.0.0/24", true);
        var web = container("web", "web");
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello from web\n");
        netns.spawn(web.ns(), tmp.resolve("httpd.log"), "busybox", "httpd", "-f", "-p", "80", "-h", www.toString());

        // an outside client on a veth link to the host namespace
        String out = netns.create("out");
        netns.run(host, "ip", "link", "add", "vt-ext0", "type", "veth", "peer", "name", "vt-ext1", "netns", out);
        netns.run(host, "ip", "addr", "add", "192.0.2.1/24", "dev", "vt-ext0");
        netns.run(host, "ip", "link", "set", "vt-ext0", "up");
        netns.run(out, "ip", "addr", "add", "192.0.2.2/24", "dev", "vt-ext1");
        netns.run(out, "ip", "link", "set", "vt-ext1", "up");

        manager.addForward(PortForward.parse("8080:80", "web"));
        assertThat(fetch(host, "127.0.0.1:8080"))
                .as("from the host's localhost")
                .isEqualTo("hello from web\n");
        assertThat(fetch(host, "192.0.2.1:8080"))
                .as("from the host to its own address")
                .isEqualTo("hello from web\n");
        assertThat(fetch(out, "192.0.2.1:8080")).as("from outside").isEqualTo("hello from web\n");

        // a forward bound to one address answers there only
        manager.addForward(PortForward.parse("127.0.0.1:8081:80", "web"));
        assertThat(fetch(host, "127.0.0.1:8081")).isEqualTo("hello from web\n");
        assertThat(netns.exec(out, "busybox", "wget", "-q", "-O", "-", "http://192.0.2.1:8081/")
                        .ok())
                .isFalse();

        assertThatThrownBy(() -> manager.addForward(PortForward.parse("8080:8080", "web")))
                .hasMessage("port 8080/tcp is already forwarded to 'web'");
        Process listener = netns.spawn(host, tmp.resolve("nc.log"), "busybox", "nc", "-l", "-p", "9090");
        awaitListening(9090);
        assertThatThrownBy(() -> manager.addForward(PortForward.parse("9090:80", "web")))
                .hasMessage("port 9090/tcp is in use by busybox (pid " + listener.pid() + ")");

        // UDP, bound to the host's external address (the host's own dnsmasq holds 53 on the gateway only): a DNS
        // server in the instance answers a query sent to the host. busybox nc has no UDP, so dnsmasq is the server.
        netns.spawn(
                web.ns(),
                tmp.resolve("udp.log"),
                "/usr/sbin/dnsmasq",
                "--keep-in-foreground",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--pid-file=",
                "--bind-interfaces",
                "--listen-address=" + web.lease().address(),
                "--address=/probe.test/192.0.2.99",
                "--log-facility=-");
        manager.addForward(PortForward.parse("192.0.2.1:53:53/udp", "web"));
        assertThat(awaitAnswer(out, "probe.test", "192.0.2.1"))
                .as("udp from outside")
                .contains("Address: 192.0.2.99");

        manager.removeForward(null, 8080, Protocol.TCP);
        assertThat(netns.exec(host, "busybox", "wget", "-q", "-O", "-", "http://127.0.0.1:8080/")
                        .ok())
                .isFalse();
    }

    /** busybox 1.35 wget crashes when given -T; the runner's own timeout bounds it instead. */
    String fetch(String ns, String hostPort) {
        return netns.run(ns, "busybox", "wget", "-q", "-O", "-", "http://" + hostPort + "/")
                .stdout();
    }

    /** Queries until the server (just started) answers. */
    String awaitAnswer(String fromNs, String name, String server) throws InterruptedException {
        String last = "";
        for (int i = 0; i < 50; i++) {
            var r = netns.exec(fromNs, "busybox", "nslookup", "-type=a", name, server);
            last = r.stdout() + r.stderr();
            if (last.contains("Name:")) {
                return last;
            }
            Thread.sleep(100);
        }
        return last;
    }

    void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (netns.run(host, "ss", "-Hltn", "sport = :" + port).stdout().contains(":" + port)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing listens on " + port);
    }

    @Test
    void vmTapsJoinTheBridgeHereOrThroughAVethIntoTheVmRuntimesNamespace() {
        var spec = net("web", "10.201.0.0/24", true);
        VmNic here = manager.attachVm(
                "web", AllocationRequest.dynamic(new LeaseOwner("vm1", 0), "vm1"), Optional.empty(), 0);
        assertThat(here.tap()).isEqualTo(HostNames.tap(here.lease().owner()));
        assertThat(netns.run(host, "ip", "-d", "link", "show", "dev", here.tap())
                        .stdout())
                .contains("master " + spec.bridge(), "tun type tap", "user root");

        String runtime = netns.create("vm");
        VmNic inside = manager.attachVm(
                "web",
                AllocationRequest.dynamic(new LeaseOwner("vm2", 0), "vm2"),
                Optional.of(new NetnsRef.Named(runtime)),
                null);
        assertThat(inside.tap()).isEqualTo("vsl-tap0");
        assertThat(netns.run(runtime, "ip", "-d", "link", "show", "dev", "vsl-tap0")
                        .stdout())
                .contains("master vsl-br0", "tun type tap");
        assertThat(netns.run(runtime, "ip", "-d", "link", "show", "dev", "vsl-e0")
                        .stdout())
                .contains("master vsl-br0", "veth");
        assertThat(netns.run(host, "ip", "-d", "link", "show", "dev", inside.hostLink())
                        .stdout())
                .contains("master " + spec.bridge());
        assertThat(manager.ipam().leases("web")).extracting(Lease::hostname).containsExactly("vm1", "vm2");
    }

    @Test
    void tearingEverythingDownThroughTheApiLeavesTheNamespaceAsItWas() throws Exception {
        net("web", "10.201.0.0/24", true);
        net("lab", "10.205.0.0/24", false, "web");
        var api = container("web", "api");
        container("lab", "probe");
        manager.attachVm("lab", AllocationRequest.dynamic(new LeaseOwner("vm1", 0), "vm1"), Optional.empty(), null);
        manager.addForward(PortForward.parse("8080:80", "api"));
        assertThat(netns.processes(host)).hasSize(2); // one dnsmasq per network

        assertThatThrownBy(() -> manager.delete("web")).hasMessage("network 'web' is in use by 'api'");
        manager.release("id-api");
        manager.release("id-probe");
        manager.release("vm1");
        assertThat(manager.forwards())
                .as("forwards to a removed instance go with it")
                .isEmpty();
        manager.delete("web");
        manager.delete("lab");

        netns.assertUnchanged(host, before);
        assertThat(Files.list(state.resolve("networks")).toList()).isEmpty();
        assertThat(api.lease()).isNotNull();
    }

    @Test
    void theReaperRemovesWhatACrashLeftBehind() throws Exception {
        net("web", "10.201.0.0/24", true);
        net("gone", "10.206.0.0/24", true);
        var live = container("web", "live");
        container("web", "dead");
        manager.attachVm(
                "gone", AllocationRequest.dynamic(new LeaseOwner("vm-dead", 0), "vmdead"), Optional.empty(), null);

        // The daemon "crashes" and comes back with a store that lost network 'gone' and knows one live instance.
        var survivor = new InMemoryNetworkStore();
        survivor.insert(store.network("web").orElseThrow());
        var ipam = new JsonFileIpamStore(state.resolve("ipam.json"));
        manager = newManager(survivor, ipam);
        manager.restore();
        NetReaper.Report report = manager.reconcile(Set.of("id-live"));

        assertThat(report.links())
                .containsExactlyInAnyOrder(
                        HostNames.hostVeth(new LeaseOwner("id-dead", 0)),
                        HostNames.tap(new LeaseOwner("vm-dead", 0)),
                        HostNames.bridge("gone"));
        assertThat(report.dnsmasqPids()).hasSize(1);
        assertThat(report.stateDirs()).containsExactly("gone");
        assertThat(report.leases()).extracting(Lease::hostname).containsExactlyInAnyOrder("dead", "vmdead");
        assertThat(netns.processes(host)).hasSize(1);
        assertThat(netns.ruleset(host)).doesNotContain(HostNames.bridge("gone")).contains(HostNames.bridge("web"));
        assertThat(ping(host, live.lease().address())).isTrue();

        manager.release("id-live");
        manager.delete("web");
        netns.assertUnchanged(host, before);
    }

    @Test
    void aRestartedDaemonAdoptsTheRunningDnsmasq() throws Exception {
        net("web", "10.201.0.0/24", true);
        long pid = manager.inspect("web").dnsmasqPid();
        var db = container("web", "db");

        manager = newManager(store, new JsonFileIpamStore(state.resolve("ipam.json")));
        manager.restore();
        assertThat(manager.inspect("web").dnsmasqPid()).isEqualTo(pid);
        assertThat(netns.processes(host)).containsExactly(pid);
        var later = container("web", "later");
        assertThat(later.lease().address()).isNotEqualTo(db.lease().address());
        // the new name resolves after the SIGHUP, without a restart
        assertThat(netns.run(db.ns(), "busybox", "nslookup", "later.vessel", "10.201.0.1")
                        .stdout())
                .contains("Address: " + later.lease().address());
        assertThat(manager.inspect("web").dnsmasqPid()).isEqualTo(pid);
    }
}
