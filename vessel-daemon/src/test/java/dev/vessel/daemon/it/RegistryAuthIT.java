package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.ContainerSupport.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.container.testing.TestImage;
import dev.vessel.container.testing.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A private registry: Debian's docker-registry with htpasswd (bcrypt) auth. A pull without credentials is refused
 * clearly; wrong credentials are refused by the registry and nothing is kept; after `vessel login` pulls work, the
 * password is kept 0600 and never shown; after `vessel logout` pulls are refused again.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class RegistryAuthIT {
    static DaemonProcess daemon;
    static TestRegistry registry;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess().start();
        work = Files.createTempDirectory(Path.of("/tmp"), "vauth-");
        registry = new TestRegistry(Files.createDirectories(work.resolve("registry")), "alice", "s3cret-pass");
        for (String tag : List.of("1", "2")) {
            registry.push(
                    "private/app",
                    tag,
                    TestImage.busybox()
                            .set("Cmd", List.of("sh", "-c", "echo private " + tag))
                            .build());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        daemon.close();
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    static JsonNode pull(String ref) {
        return daemon.task("/api/v1/oci-images/pull", "{\"reference\":\"" + ref + "\"}");
    }

    @Test
    void pullsFromAPrivateRegistryNeedALoginThatTheRegistryAccepted() throws Exception {
        String ref = registry.host() + "/private/app:1";
        JsonNode refused = pull(ref);
        assertThat(refused.path("state").asText()).isEqualTo("failed");
        assertThat(refused.path("error").path("detail").asText())
                .contains("requires authentication")
                .contains("vessel login " + registry.host());

        Path auth = daemon.dataDir().resolve("registry-auth.json");
        var wrong = daemon.post(
                "/api/v1/registries/login",
                "{\"registry\":\"" + registry.host() + "\",\"username\":\"alice\",\"password\":\"guess\"}");
        assertThat(wrong.status()).as(wrong.text()).isEqualTo(401);
        assertThat(wrong.text()).contains("refused the credentials").doesNotContain("guess");
        assertThat(auth).as("nothing kept").doesNotExist();
        assertThat(daemon.post(
                                "/api/v1/registries/login",
                                "{\"registry\":\"no host!\",\"username\":\"a\",\"password\":\"b\"}")
                        .status())
                .isEqualTo(400);

        var login = cli(
                daemon,
                "s3cret-pass\n".getBytes(StandardCharsets.UTF_8),
                "login",
                registry.host(),
                "-u",
                "alice",
                "--password-stdin");
        assertThat(login.code()).as(login.err()).isZero();
        assertThat(login.out()).contains("Login Succeeded");
        assertThat(Files.getPosixFilePermissions(auth)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String listed = daemon.client().call("GET", "/api/v1/registries", null).text();
        assertThat(listed).contains(registry.host()).contains("alice").doesNotContain("s3cret");

        assertThat(pull(ref).path("state").asText()).isEqualTo("succeeded");
        JsonNode c = ContainerSupport.runToEnd(daemon, "{\"name\":\"priv\",\"image\":\"" + ref + "\"}");
        assertThat(ContainerSupport.exitCodeOfStopped(c)).isZero();
        assertThat(ContainerSupport.logs(daemon, "priv")).isEqualTo("private 1\n");

        var logout = cli(daemon, null, "logout", registry.host());
        assertThat(logout.code()).as(logout.err()).isZero();
        assertThat(pull(registry.host() + "/private/app:2").path("state").asText())
                .as("refused again after logout")
                .isEqualTo("failed");
        assertThat(cli(daemon, null, "logout", registry.host()).code())
                .as("not logged in")
                .isEqualTo(4);
    }
}
