package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code vessel vm set}: CPUs and memory while stopped, within the project's quotas, refused with the old settings
 * kept; autostart, which starts the VM when the daemon first starts after a host boot and not at other restarts.
 */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
@org.junit.jupiter.api.Timeout(600)
class VmSettingsIT {
    static DaemonProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = new DaemonProcess().start();
        TinyImageSupport.ensure(daemon);
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    static dev.vessel.http.ApiClient.Response patch(String path, String json) {
        return daemon.client().call("PATCH", path, json.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode spec(String name) {
        return daemon.instance(name).path("spec");
    }

    @Test
    void cpusAndMemoryChangeWhileStoppedWithinTheQuotaAndAutostartComesWithTheNextBoot() throws Exception {
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"set1\",\"image\":\"tiny\",\"memory\":\"128M\"}")
                        .status())
                .isEqualTo(201);
        var changed = patch("/api/v1/instances/set1", "{\"cpus\":2,\"memory\":\"192M\",\"autostart\":true}");
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(Json.tree(changed.text()).path("spec").path("cpus").asInt()).isEqualTo(2);
        assertThat(spec("set1").path("memoryBytes").asLong()).isEqualTo(192L << 20);
        assertThat(spec("set1").path("autostart").asBoolean()).isTrue();

        var bad = patch("/api/v1/instances/set1", "{\"memory\":\"lots\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(Json.tree(bad.text()).path("field").asText()).isEqualTo("memory");
        assertThat(patch("/api/v1/instances/set1", "{\"cpus\":0}").status()).isEqualTo(400);
        assertThat(patch("/api/v1/instances/set1", "{}").status()).isEqualTo(400);
        assertThat(spec("set1").path("cpus").asInt()).isEqualTo(2);
        assertThat(spec("set1").path("memoryBytes").asLong()).isEqualTo(192L << 20);

        // the CLI's face of it
        var cli = ContainerSupport.cli(daemon, null, "vm", "set", "set1", "--cpus", "1");
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("vm set1: 1 vCPU(s), 192MiB, autostart on, restart no");
        var refused = ContainerSupport.cli(daemon, null, "vm", "set", "set1", "--restart", "sometimes");
        assertThat(refused.code()).as(refused.err()).isEqualTo(3);
        assertThat(refused.err()).contains("'sometimes' is not one of no, on-failure[:N], always, unless-stopped");
        assertThat(ContainerSupport.cli(daemon, null, "vm", "set", "set1").code())
                .isEqualTo(2);

        // quotas count what grows
        assertThat(daemon.post(
                                "/api/v1/projects",
                                "{\"name\":\"small\",\"limits\":{\"cpus\":\"2\"},\"features\":{\"images\":\"false\"}}")
                        .status())
                .isEqualTo(201);
        var inSmall = daemon.client().inProject("small");
        assertThat(inSmall.call(
                                "POST",
                                "/api/v1/vms",
                                "{\"name\":\"q1\",\"image\":\"tiny\",\"memory\":\"64M\"}"
                                        .getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(201);
        var over = inSmall.call("PATCH", "/api/v1/instances/q1", "{\"cpus\":3}".getBytes(StandardCharsets.UTF_8));
        assertThat(over.status()).as(over.text()).isGreaterThanOrEqualTo(400);
        assertThat(over.text()).contains("quota").contains("cpus");
        assertThat(Json.tree(inSmall.call("GET", "/api/v1/instances/q1", null).text())
                        .path("spec")
                        .path("cpus")
                        .asInt())
                .isEqualTo(1);
        assertThat(inSmall.call("PATCH", "/api/v1/instances/q1", "{\"cpus\":2}".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(200);

        // running: the hardware waits for a stop, autostart does not
        daemon.okTask("/api/v1/instances/set1/start?wait=true", null);
        var running = patch("/api/v1/instances/set1", "{\"cpus\":2}");
        assertThat(running.status()).isEqualTo(409);
        assertThat(running.text()).contains("while it is stopped");
        assertThat(patch("/api/v1/instances/set1", "{\"autostart\":true}").status())
                .isEqualTo(200);

        // on-failure: QEMU killed from outside is a failure, and the VM comes back; a stop is not
        assertThat(patch("/api/v1/instances/set1", "{\"restart\":\"on-failure\"}")
                        .status())
                .isEqualTo(200);
        long pid = daemon.instance("set1").path("runtime").path("pid").asLong();
        assertThat(pid).isPositive();
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode now = daemon.instance("set1");
        while (System.nanoTime() < deadline
                && !(now.path("status").asText().equals("running")
                        && now.path("runtime").path("pid").asLong() != pid)) {
            Thread.sleep(100);
            now = daemon.instance("set1");
        }
        assertThat(now.path("status").asText()).as(now.toString()).isEqualTo("running");
        assertThat(now.path("runtime").path("pid").asLong()).isNotEqualTo(pid);
        daemon.okTask("/api/v1/instances/set1/stop", null);
        Thread.sleep(1000);
        assertThat(daemon.instance("set1").path("status").asText()).isEqualTo("stopped");
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"set2\",\"image\":\"tiny\",\"memory\":\"64M\"}")
                        .status())
                .isEqualTo(201);

        // a daemon restart within the same boot starts nothing
        daemon.stop();
        daemon.start();
        assertThat(daemon.instance("set1").path("status").asText()).isEqualTo("stopped");

        // the first start after a (simulated) host boot starts set1, and only set1
        daemon.stop();
        Files.writeString(daemon.dataDir().resolve("last-boot-id"), "00000000-0000-0000-0000-000000000000\n");
        daemon.start();
        ContainerSupport.awaitStatus(daemon, "set1", "running", Duration.ofMinutes(3));
        assertThat(daemon.instance("set2").path("status").asText()).isEqualTo("created");
        assertThat(Files.readString(daemon.dataDir().resolve("last-boot-id")).strip())
                .isEqualTo(Files.readString(java.nio.file.Path.of("/proc/sys/kernel/random/boot_id"))
                        .strip());
        daemon.okTask("/api/v1/instances/set1/stop", null);
    }
}
