package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetReaperTest {
    static final NetworkSpec WEB = NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of());

    @TempDir
    Path dir;

    static Lease lease(String id) {
        var owner = new LeaseOwner(id, 0);
        return new Lease("web", Ipv4.parse("10.88.0.2"), owner, MacAddresses.generate(owner, Set.of()), "i-" + id);
    }

    @Test
    void onlyVesselLinksThatNothingAccountsForAreStray() {
        var live = lease("live");
        var links = List.of(
                new HostLink("lo", "", null),
                new HostLink("eth0", "", null),
                new HostLink("docker0", "bridge", null),
                new HostLink(WEB.bridge(), "bridge", null),
                new HostLink(HostNames.hostVeth(live.owner()), "veth", WEB.bridge()),
                new HostLink(HostNames.tap(new LeaseOwner("dead", 0)), "tun", WEB.bridge()),
                new HostLink(HostNames.bridge("gone"), "bridge", null));
        assertThat(NetReaper.strayLinks(links, List.of(WEB), List.of(live)))
                .containsExactlyInAnyOrder(HostNames.tap(new LeaseOwner("dead", 0)), HostNames.bridge("gone"));
    }

    @Test
    void reapKillsOnlyOurDnsmasqOfUnknownNetworksInOurNamespace() throws Exception {
        Path state = dir.resolve("state");
        var proc = new FakeProc(Files.createDirectories(dir.resolve("proc")));
        var gone = DnsmasqFiles.of(state, "gone");
        var kept = DnsmasqFiles.of(state, "web");
        Files.createDirectories(gone.dir());
        Files.createDirectories(kept.dir());
        Path nsFile = Files.createFile(dir.resolve("nsfile"));
        String ourNs = "net:[" + Files.getAttribute(nsFile, "unix:ino") + "]";
        proc.process(100, ourNs, gone.argv().toArray(String[]::new));
        proc.process(101, ourNs, kept.argv().toArray(String[]::new));
        proc.process(102, "net:[999]", gone.argv().toArray(String[]::new)); // same path, another namespace: not ours
        proc.process(103, ourNs, "/usr/sbin/dnsmasq", "--conf-file=/etc/dnsmasq.conf");
        var runner = new FakeRunner(argv -> {
            if (argv.get(0).equals("kill")) {
                try {
                    proc.exit(Long.parseLong(argv.get(3)));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return FakeRunner.ok(argv, argv.contains("-j") ? "[]" : "");
        });
        HostNet host = new HostNetAt(runner, nsFile);
        var report = new NetReaper(host, proc.procFs(), state).reap(List.of(WEB), List.of());
        assertThat(report.dnsmasqPids()).containsExactly(100L);
        assertThat(report.stateDirs()).containsExactly("gone");
        assertThat(gone.dir()).doesNotExist();
        assertThat(kept.dir()).exists();
        assertThat(runner.lines())
                .contains("kill -s TERM 100")
                .noneMatch(l -> l.contains(" 101") || l.contains(" 102") || l.contains(" 103"));
    }

    /** A HostNet whose namespace identity is that of a test file. */
    static final class HostNetAt extends HostNet {
        private final Path nsFile;

        HostNetAt(FakeRunner runner, Path nsFile) {
            super(runner, null);
            this.nsFile = nsFile;
        }

        @Override
        public String netnsId() {
            try {
                return "net:[" + Files.getAttribute(nsFile, "unix:ino") + "]";
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
