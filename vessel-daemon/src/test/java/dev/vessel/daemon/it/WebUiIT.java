package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The web UI in a real browser: the suite under web/test (node's test runner, playwright-core driving Debian's
 * chromium) against a daemon in a network namespace of its own, on its TLS listener, with a real tiny guest. This
 * class makes the daemon and the users, runs the suite in the daemon's namespace and fails with its report.
 * Screenshots go to target/ui-screenshots (docs/screenshots holds a set made this way).
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@org.junit.jupiter.api.Timeout(1200) // the suite bounds itself (15 minutes) and then reports what it did
class WebUiIT {
    static NetTestBed bed;
    static DaemonProcess daemon;
    static final String IMAGE = "busybox:web";

    @BeforeAll
    static void start() throws Exception {
        bed = new NetTestBed("--tcp-listen", "127.0.0.1:8006");
        daemon = bed.daemon;
        root("POST", "/api/v1/access/users", "{\"name\":\"admin\",\"password\":\"admin-password-1\"}");
        root("PUT", "/api/v1/access/acl", "{\"path\":\"/\",\"principal\":\"admin\",\"role\":\"Administrator\"}");
        root("POST", "/api/v1/access/users", "{\"name\":\"auditor\",\"password\":\"auditor-password-1\"}");
        root("PUT", "/api/v1/access/acl", "{\"path\":\"/\",\"principal\":\"auditor\",\"role\":\"Auditor\"}");
        ContainerSupport.load(daemon, Files.createTempDirectory("web-ui-image-"), IMAGE, t -> t);
    }

    @AfterAll
    static void stop() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    static void root(String method, String path, String body) {
        var r = daemon.client().call(method, path, body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as("%s %s: %s", method, path, r.text()).isLessThan(300);
    }

    @Test
    void theBrowserSuitePasses() throws Exception {
        Path web = Path.of("").toAbsolutePath().getParent().resolve("web");
        Path shots = Path.of("target", "ui-screenshots").toAbsolutePath();
        Path out = Files.createTempFile("web-ui-", ".log");
        var pb = new ProcessBuilder(List.of(
                        "nsenter",
                        "--net=/run/netns/" + bed.host,
                        "node",
                        "--test",
                        "--test-concurrency=1",
                        "--test-reporter=tap",
                        "test/"))
                .directory(web.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        var env = pb.environment();
        env.put("VESSEL_URL", "https://127.0.0.1:8006");
        env.put("VESSEL_ADMIN_USER", "admin");
        env.put("VESSEL_ADMIN_PASSWORD", "admin-password-1");
        env.put("VESSEL_AUDITOR_USER", "auditor");
        env.put("VESSEL_AUDITOR_PASSWORD", "auditor-password-1");
        env.put("VESSEL_SCREENSHOTS", shots.toString());
        env.put("VESSEL_CONTAINER_IMAGE", IMAGE);
        Process p = pb.start();
        boolean done = p.waitFor(15, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String report = Files.readString(out);
        Files.deleteIfExists(out);
        assertThat(done).as("the browser suite hung:\n%s", report).isTrue();
        assertThat(p.exitValue()).as("the browser suite failed:\n%s", report).isZero();
        assertThat(report).contains("# fail 0").doesNotContain("# pass 0");
    }
}
