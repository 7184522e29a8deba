package dev.vessel.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsmasqProcessTest {
    static final NetworkSpec WEB = NetworkSpec.parse("web", "10.88.0.0/24", null, true, false, List.of());

    @TempDir
    Path dir;

    FakeProc proc;
    DnsmasqFiles files;
    FakeRunner runner;
    DnsmasqProcess dns;

    @BeforeEach
    void setUp() throws Exception {
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        proc = new FakeProc(Files.createDirectories(dir.resolve("proc")));
        files = DnsmasqFiles.of(dir.resolve("state"), "web");
        runner = new FakeRunner(argv -> FakeRunner.ok(argv, ""));
        dns = new DnsmasqProcess(HostNet.inNamespace(runner, "vt-x"), proc.procFs(), WEB, files);
        dns.writeFiles(List.of());
    }

    @Test
    void aRunningDnsmasqWithOurConfigIsAdoptedNotStartedAgain() throws Exception {
        proc.process(4321, "net:[1]", files.argv().toArray(String[]::new));
        Files.writeString(files.pid(), "4321\n");
        assertThat(dns.start()).isEqualTo(4321);
        assertThat(runner.calls).isEmpty();
    }

    @Test
    void aRecycledPidRunningSomethingElseIsNotOurs() throws Exception {
        proc.process(4321, "net:[1]", "/usr/sbin/dnsmasq", "--conf-file=/elsewhere/dnsmasq.conf");
        proc.process(4322, "net:[1]", "/usr/bin/sleep", "1000");
        Files.writeString(files.pid(), "4321\n");
        assertThat(dns.pid()).isEmpty();
        Files.writeString(files.pid(), "4322\n");
        assertThat(dns.pid()).isEmpty();
        Files.writeString(files.pid(), "garbage\n");
        assertThat(dns.pid()).isEmpty();
    }

    @Test
    void startRunsDnsmasqInTheNamespaceWithOnlyTheConfigFileArgument() throws Exception {
        runner = new FakeRunner(argv -> {
            try {
                // what dnsmasq does before its parent exits: the child writes the pid file
                proc.process(777, "net:[1]", files.argv().toArray(String[]::new));
                Files.writeString(files.pid(), "777\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return FakeRunner.ok(argv, "");
        });
        dns = new DnsmasqProcess(HostNet.inNamespace(runner, "vt-x"), proc.procFs(), WEB, files);
        assertThat(dns.start()).isEqualTo(777);
        assertThat(runner.lines())
                .containsExactly("ip netns exec vt-x /usr/sbin/dnsmasq --conf-file=" + files.config());
    }

    @Test
    void reloadRewritesTheHostFilesAndSendsHup() throws Exception {
        proc.process(4321, "net:[1]", files.argv().toArray(String[]::new));
        Files.writeString(files.pid(), "4321\n");
        var owner = new LeaseOwner("id", 0);
        var lease = new Lease(
                "web", Ipv4.parse("10.88.0.2"), owner, MacAddresses.generate(owner, java.util.Set.of()), "api");
        dns.reload(List.of(lease));
        assertThat(Files.readString(files.hosts())).isEqualTo("10.88.0.2 api api.vessel\n");
        assertThat(Files.readString(files.dhcpHosts())).isEqualTo(lease.mac() + ",10.88.0.2,api\n");
        assertThat(runner.lines()).containsExactly("kill -s HUP 4321");
    }

    @Test
    void stopSendsTermAndRemovesThePidFile() throws Exception {
        proc.process(4321, "net:[1]", files.argv().toArray(String[]::new));
        Files.writeString(files.pid(), "4321\n");
        runner = new FakeRunner(argv -> {
            if (argv.equals(List.of("kill", "-s", "TERM", "4321"))) {
                try {
                    proc.exit(4321);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return FakeRunner.ok(argv, "");
        });
        dns = new DnsmasqProcess(HostNet.inNamespace(runner, "vt-x"), proc.procFs(), WEB, files);
        dns.stop();
        assertThat(runner.lines()).containsExactly("kill -s TERM 4321");
        assertThat(files.pid()).doesNotExist();
    }

    @Test
    void theFilesAreReadableByTheUnprivilegedUserDnsmasqBecomes() throws Exception {
        assertThat(Files.getPosixFilePermissions(files.dir())).hasSize(7);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(files.hosts())))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void aStateDirectoryNobodyCanReachIsRefusedWithTheFix() throws Exception {
        Path closed = Files.createDirectories(dir.resolve("closed"));
        Files.setPosixFilePermissions(closed, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        var inside = new DnsmasqProcess(
                HostNet.inNamespace(runner, "vt-x"), proc.procFs(), WEB, DnsmasqFiles.of(closed, "web"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> inside.writeFiles(List.of()))
                .hasMessageContaining(closed + " is not traversable by others (chmod o+x it");
    }
}
