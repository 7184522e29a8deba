package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A daemon in a network namespace of its own takes its TLS connections in another one (tcp-netns), as the demo's does
 * on the host's loopback: a browser there reaches the UI while the daemon's bridges and NAT stay in its namespace.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class TcpNetnsIT {
    private final String daemonNs = "vt-tcpns-d" + ProcessHandle.current().pid() % 100000;
    private final String clientNs = "vt-tcpns-c" + ProcessHandle.current().pid() % 100000;
    private DaemonProcess daemon;

    @BeforeEach
    void namespaces() throws Exception {
        for (String ns : List.of(daemonNs, clientNs)) {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        for (String ns : List.of(daemonNs, clientNs)) {
            run("ip", "netns", "delete", ns);
        }
    }

    @Test
    void theListenerIsInTheNamespaceItWasToldAndNotInTheDaemonsOwn() throws Exception {
        daemon = DaemonProcess.inNetns(
                        daemonNs,
                        "--default-network",
                        "none",
                        "--tcp-listen",
                        "127.0.0.1:8006",
                        "--tcp-netns",
                        "/run/netns/" + clientNs)
                .start();
        // In the client's namespace: TLS with the node's certificate, and the API answers (401 without a login).
        Out there = curl(clientNs, "https://127.0.0.1:8006/api/v1/instances");
        assertThat(there.code()).as(there.err()).isZero();
        assertThat(there.out()).endsWith("\n401");
        Out ping = curl(clientNs, "https://127.0.0.1:8006/api/v1/ping");
        assertThat(ping.out()).endsWith("\n200");
        // In the daemon's own namespace nothing listens on that port (curl exit 7: connection refused).
        Out own = curl(daemonNs, "https://127.0.0.1:8006/api/v1/ping");
        assertThat(own.code()).isEqualTo(7);
        assertThat(Files.readString(daemon.log())).contains("listening on tls://127.0.0.1:8006");
    }

    @Test
    void aNamespaceThatIsNoNamespaceIsRefusedByName() throws Exception {
        daemon = DaemonProcess.inNetns(
                daemonNs, "--default-network", "none", "--tcp-listen", "127.0.0.1:8006", "--tcp-netns", "/run/nope");
        try {
            daemon.start();
            throw new AssertionError("the daemon started with tcp-netns=/run/nope");
        } catch (IllegalStateException e) {
            assertThat(e.getMessage()).contains("tcp-netns").contains("'/run/nope' is neither host, self nor");
        }
    }

    record Out(int code, String out, String err) {}

    private Out curl(String ns, String url) throws Exception {
        return run(
                "nsenter",
                "--net=/run/netns/" + ns,
                "curl",
                "-sS",
                "--max-time",
                "10",
                "--cacert",
                daemon.dataDir().resolve("tls/ca.crt").toString(),
                "-o",
                "/dev/null",
                "-w",
                "\n%{http_code}",
                url);
    }

    private static Out run(String... argv) throws Exception {
        Path out = Files.createTempFile("tcpns-", ".out");
        Path err = Files.createTempFile("tcpns-", ".err");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(List.of(argv)))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(List.of(argv) + " hung");
            }
            return new Out(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
