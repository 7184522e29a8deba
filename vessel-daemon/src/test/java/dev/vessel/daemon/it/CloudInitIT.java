package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** A VM created with cloud-init gets a NoCloud seed CD-ROM; its clone gets a seed with a new instance id. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class CloudInitIT {
    static final String KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnlyATestKeyOnlyATestKeyOnlyATestKeyOnlyAT test@vessel";
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

    static String isoFile(Path iso, String file) throws Exception {
        Path out = Files.createTempFile(Path.of("/tmp"), "ci-", ".txt");
        Files.delete(out);
        new ProcessRunner()
                .run(
                        List.of(
                                "/usr/bin/xorriso",
                                "-osirrox",
                                "on",
                                "-indev",
                                iso.toString(),
                                "-extract",
                                "/" + file,
                                out.toString()),
                        Duration.ofSeconds(30));
        try {
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Path seed(JsonNode vm) {
        for (JsonNode d : vm.path("spec").path("boot").path("disks")) {
            if (d.path("media").asText().equals("cdrom")) {
                return Path.of(d.path("path").asText());
            }
        }
        throw new AssertionError("no seed in " + vm);
    }

    @Test
    void theSeedCarriesTheUserAndFollowsTheVmIntoItsClones() throws Exception {
        JsonNode vm = GuestShell.createDiskVm(
                daemon,
                "ci",
                ",\"cloudInit\":{\"user\":\"alice\",\"password\":\"s3cret\",\"sshKeys\":[\"" + KEY + "\"]}");
        Path iso = seed(vm);
        assertThat(iso.toString()).endsWith("/cloud-init/seed.iso");
        String info = new ProcessRunner()
                .run(List.of("/usr/bin/xorriso", "-indev", iso.toString(), "-pvd_info"), Duration.ofSeconds(30))
                .stdout();
        assertThat(info).contains("cidata");
        String userData = isoFile(iso, "user-data");
        assertThat(userData)
                .startsWith("#cloud-config")
                .contains("\"alice\"")
                .contains(KEY)
                .contains("passwd: \"$6$")
                .doesNotContain("s3cret");
        assertThat(isoFile(iso, "meta-data"))
                .contains("instance-id: \"vessel-" + vm.path("id").asText() + "\"")
                .contains("local-hostname: \"ci\"");

        // QEMU gets it as a read-only CD-ROM and the guest boots as before.
        GuestShell.start(daemon, "ci");
        var argv = daemon.instance("ci").path("runtime").path("command").toString();
        assertThat(argv).contains(iso.toString()).contains("ide-cd");
        GuestShell.stop(daemon, "ci");

        daemon.post("/api/v1/instances/ci/template", null);
        assertThat(daemon.post("/api/v1/instances/ci/clone", "{\"name\":\"ci2\"}")
                        .status())
                .isEqualTo(201);
        JsonNode clone = daemon.instance("ci2");
        Path cloneIso = seed(clone);
        assertThat(cloneIso).isNotEqualTo(iso);
        assertThat(isoFile(cloneIso, "meta-data"))
                .contains("vessel-" + clone.path("id").asText())
                .contains("\"ci2\"");
        assertThat(isoFile(cloneIso, "user-data")).isEqualTo(userData);
    }

    @Test
    void userDataAsGivenAndBadOptionsAreRefused() throws Exception {
        JsonNode vm = GuestShell.createDiskVm(
                daemon,
                "ud",
                ",\"cloudInit\":{\"userData\":\"#cloud-config\\npackages: [htop]\\n\","
                        + "\"networkConfig\":\"version: 2\\n\"}");
        assertThat(isoFile(seed(vm), "user-data")).isEqualTo("#cloud-config\npackages: [htop]\n");
        assertThat(isoFile(seed(vm), "network-config")).isEqualTo("version: 2\n");
        for (String bad : List.of(
                "{\"userData\":\"x\",\"user\":\"bob\"}",
                "{\"password\":\"pw\"}",
                "{\"user\":\"Root Admin\"}",
                "{\"sshKeys\":[\"not a key\"]}",
                "{}",
                "{\"user\":\"bob\",\"bogus\":1}")) {
            var r = daemon.post("/api/v1/vms", "{\"name\":\"bad\",\"image\":\"tiny-disk\",\"cloudInit\":" + bad + "}");
            assertThat(r.status()).as(bad + " -> " + r.text()).isEqualTo(400);
        }
        assertThat(daemon.client().call("GET", "/api/v1/instances/bad", null).status())
                .isEqualTo(404);
    }
}
