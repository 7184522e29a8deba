package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.GuestShell.bootMarker;
import static dev.vessel.daemon.it.GuestShell.setMarker;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Templates and clones of a real tiny-disk guest: the marker travels, identities do not. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class CloneIT {
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

    static String uuidOf(String vm) {
        JsonNode argv = daemon.instance(vm).path("runtime").path("command");
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).asText().equals("-uuid")) {
                return argv.get(i + 1).asText();
            }
        }
        throw new AssertionError("no -uuid in " + argv);
    }

    static List<String> chain(Path disk) {
        var r = new ProcessRunner()
                .run(
                        List.of("qemu-img", "info", "-U", "--backing-chain", "--output", "json", disk.toString()),
                        Duration.ofSeconds(30));
        var out = new ArrayList<String>();
        Json.tree(r.stdout()).forEach(n -> out.add(n.path("filename").asText()));
        return out;
    }

    static Path rootDisk(String vm) {
        return Path.of(daemon.instance(vm)
                .path("spec")
                .path("boot")
                .path("disks")
                .get(0)
                .path("path")
                .asText());
    }

    @Test
    void linkedClonesStartFromTheTemplatesDiskAndGoTheirOwnWay() throws Exception {
        GuestShell.createDiskVm(daemon, "base", "");
        GuestShell.start(daemon, "base");
        setMarker(daemon, "base", "golden");
        String baseMac = daemon.instance("base").path("spec").path("mac").asText();
        String baseUuid = uuidOf("base");
        // Only a stopped VM becomes a template.
        assertThat(daemon.post("/api/v1/instances/base/template", null).status())
                .isEqualTo(409);
        GuestShell.stop(daemon, "base");
        var t = daemon.post("/api/v1/instances/base/template", null);
        assertThat(t.status()).as(t.text()).isEqualTo(200);
        JsonNode tpl = daemon.instance("base");
        assertThat(tpl.path("spec").path("template").asBoolean()).isTrue();
        Path tplDisk = rootDisk("base");
        assertThat(tplDisk.toString())
                .contains("/images/.templates/" + tpl.path("id").asText() + "/");
        assertThat(Files.getPosixFilePermissions(tplDisk))
                .as("read-only for QEMU")
                .allMatch(p -> p.name().endsWith("READ"));
        // A template never runs, and nothing writes it.
        assertThat(daemon.post("/api/v1/instances/base/start", null).status()).isEqualTo(409);
        assertThat(daemon.post("/api/v1/instances/base/snapshots", "{}").status())
                .isEqualTo(409);

        var c = daemon.post("/api/v1/instances/base/clone", "{\"name\":\"web1\",\"mode\":\"linked\"}");
        assertThat(c.status()).as(c.text()).isEqualTo(201);
        assertThat(daemon.post("/api/v1/instances/base/clone", "{\"name\":\"web2\"}")
                        .status())
                .as("linked by default")
                .isEqualTo(201);
        assertThat(chain(rootDisk("web1")))
                .as("an overlay on the template's disk")
                .contains(tplDisk.toString());
        assertThat(Files.size(rootDisk("web1"))).isLessThan(1 << 20);

        GuestShell.start(daemon, "web1");
        assertThat(bootMarker(daemon, "web1")).isEqualTo("golden");
        JsonNode w1 = daemon.instance("web1");
        assertThat(w1.path("id").asText()).isNotEqualTo(tpl.path("id").asText());
        assertThat(w1.path("spec").path("mac").asText())
                .matches("0a:56:65(:[0-9a-f]{2}){3}")
                .isNotEqualTo(baseMac)
                .isNotEqualTo(daemon.instance("web2").path("spec").path("mac").asText());
        assertThat(uuidOf("web1")).isNotEqualTo(baseUuid);
        assertThat(GuestShell.run(daemon, "web1", "hostname")).isEqualTo("web1");
        setMarker(daemon, "web1", "mine");
        GuestShell.stop(daemon, "web1");

        // What web1 wrote is its own: web2 still starts from the template.
        GuestShell.start(daemon, "web2");
        assertThat(bootMarker(daemon, "web2")).isEqualTo("golden");
        GuestShell.stop(daemon, "web2");
        GuestShell.start(daemon, "web1");
        assertThat(bootMarker(daemon, "web1")).isEqualTo("mine");
        GuestShell.stop(daemon, "web1");

        // The template stays while linked clones use it.
        var rm = daemon.client().call("DELETE", "/api/v1/instances/base", null);
        assertThat(rm.status()).isEqualTo(409);
        assertThat(rm.text()).contains("web1", "web2");

        // A full clone of the template is independent: no backing file in the template.
        daemon.okTask("/api/v1/instances/base/clone", "{\"name\":\"solo\",\"mode\":\"full\"}");
        assertThat(chain(rootDisk("solo"))).hasSize(1);
        GuestShell.start(daemon, "solo");
        assertThat(bootMarker(daemon, "solo")).isEqualTo("golden");
        GuestShell.stop(daemon, "solo");

        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/web1", null)
                        .status())
                .isEqualTo(204);
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/web2", null)
                        .status())
                .isEqualTo(204);
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/base", null)
                        .status())
                .isEqualTo(204);
        assertThat(tplDisk.getParent()).doesNotExist();
        GuestShell.start(daemon, "solo");
        assertThat(bootMarker(daemon, "solo")).isEqualTo("golden");
        GuestShell.stop(daemon, "solo");
    }

    @Test
    void aFullCloneOfAStoppedVmCopiesItsDisk() throws Exception {
        GuestShell.createDiskVm(daemon, "orig", "");
        GuestShell.start(daemon, "orig");
        setMarker(daemon, "orig", "copied");
        GuestShell.stop(daemon, "orig");
        // A linked clone needs a template.
        assertThat(daemon.post("/api/v1/instances/orig/clone", "{\"name\":\"lnk\",\"mode\":\"linked\"}")
                        .status())
                .isEqualTo(409);
        JsonNode task = daemon.okTask("/api/v1/instances/orig/clone", "{\"name\":\"copy\"}");
        assertThat(task.path("message").asText()).contains("full clone");
        GuestShell.start(daemon, "copy");
        assertThat(bootMarker(daemon, "copy")).isEqualTo("copied");
        GuestShell.stop(daemon, "copy");
        assertThat(daemon.post("/api/v1/instances/orig/clone", "{\"name\":\"copy\"}")
                        .status())
                .as("name taken")
                .isEqualTo(409);
        assertThat(daemon.post("/api/v1/instances/orig/clone", "{\"name\":\"BAD\"}")
                        .status())
                .isEqualTo(400);
        assertThat(daemon.post("/api/v1/instances/orig/clone", "{\"name\":\"x\",\"mode\":\"deep\"}")
                        .status())
                .isEqualTo(400);
    }
}
