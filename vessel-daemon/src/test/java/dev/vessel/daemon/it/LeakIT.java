package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.oci.Cgroups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Removing VMs leaks nothing: no runtime state, cgroup, socket, process or file. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class LeakIT {
    DaemonProcess daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new DaemonProcess().start();
        TinyImageSupport.ensure(daemon);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    List<String> ids = new ArrayList<>();

    @Test
    void aLoopOfCreatesStartsAndRemovalsLeavesTheHostAsItWas() throws Exception {
        for (int i = 0; i < 4; i++) {
            String name = "leak" + i;
            assertThat(daemon.post(
                                    "/api/v1/vms",
                                    "{\"name\":\"" + name + "\",\"image\":\"tiny-disk\",\"memory\":\"128M\"}")
                            .status())
                    .isEqualTo(201);
            ids.add(daemon.instance(name).path("id").asText());
            daemon.okTask("/api/v1/instances/" + name + "/start", null);
            if (i % 2 == 0) {
                daemon.okTask("/api/v1/instances/" + name + "/kill", null);
                assertThat(daemon.client()
                                .call("DELETE", "/api/v1/instances/" + name, null)
                                .status())
                        .isEqualTo(204);
            } else {
                assertThat(daemon.client()
                                .call("DELETE", "/api/v1/instances/" + name + "?force=true", null)
                                .status())
                        .isEqualTo(204);
            }
        }
        assertClean();
    }

    @Test
    void removalAfterADaemonKillLeavesNothingEither() throws Exception {
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"lk\",\"image\":\"tiny\",\"memory\":\"128M\"}")
                        .status())
                .isEqualTo(201);
        ids.add(daemon.instance("lk").path("id").asText());
        daemon.okTask("/api/v1/instances/lk/start", null);
        daemon.kill9();
        daemon.start();
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/lk?force=true", null)
                        .status())
                .isEqualTo(204);
        assertClean();
    }

    void assertClean() throws IOException {
        assertThat(daemon.containers()).isEmpty();
        assertThat(daemon.get("/api/v1/instances").size()).isZero();
        try (Stream<Path> s = Files.list(daemon.dataDir().resolve("instances"))) {
            assertThat(s.toList()).isEmpty();
        }
        try (Stream<Path> s = Files.list(daemon.runDir().resolve("vm"))) {
            assertThat(s.toList()).isEmpty();
        }
        var cg = Cgroups.host();
        for (String id : ids) {
            assertThat(cg.exists("/vessel/vessel-" + id)).as("cgroup of " + id).isFalse();
            assertThat(qemuProcessesMentioning(id))
                    .as("QEMU processes of " + id)
                    .isEmpty();
        }
    }

    static List<Long> qemuProcessesMentioning(String id) throws IOException {
        var out = new ArrayList<Long>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")));
                    if (cmd.contains(id)) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return out;
    }
}
