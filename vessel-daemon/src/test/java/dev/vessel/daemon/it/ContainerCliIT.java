package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.ContainerSupport.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.host.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The container commands of the CLI as a user types them, with VMs in the same list. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class ContainerCliIT {
    DaemonProcess daemon;
    Path work;

    @BeforeEach
    void daemon() throws Exception {
        daemon = new DaemonProcess().start();
        work = Files.createTempDirectory(Path.of("/tmp"), "vcc-");
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
        AtomicFiles.deleteTree(work);
    }

    ContainerSupport.Cli ok(String... args) throws Exception {
        var r = cli(daemon, null, args);
        assertThat(r.code()).as("vessel %s\nout: %s\nerr: %s", String.join(" ", args), r.out(), r.err()).isZero();
        return r;
    }

    @Test
    void aContainersWholeLifeThroughTheCli() throws Exception {
        var imported = ok("image", "import", "--rootfs", dev.vessel.container.testing.TestImage.rootfsTarball(work.resolve("r.tgz")).toString(),
                "team/base:1");
        assertThat(imported.out()).startsWith("team/base:1 ");
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"vm1\",\"kernel\":\"/bin/busybox\",\"memory\":\"64M\"}").status()).isEqualTo(201);

        assertThat(ok("run", "-d", "--name", "web", "-m", "32M", "team/base:1", "sh", "-c", "echo started; sleep 60").out()).isEqualTo("web\n");
        var ps = ok("ps").out();
        assertThat(ps).containsPattern("web +container +running \\S+ +team/base:1 +- +32.0MiB");
        assertThat(ps).containsPattern("vm1 +vm +created");
        assertThat(ok("inspect", "web").out()).contains("Kind:      container").contains("Rootfs:    overlay").contains("Image id:  sha256:");
        assertThat(ok("container", "ls").out()).contains("web").doesNotContain("vm1");

        var exec = cli(daemon, null, "container", "exec", "web", "sh", "-c", "echo in; echo err >&2; exit 3");
        assertThat(exec.code()).isEqualTo(3);
        assertThat(exec.out()).isEqualTo("in\n");
        assertThat(exec.err()).isEqualTo("err\n");
        assertThat(ok("container", "logs", "web").out()).isEqualTo("started\n");

        var inUse = cli(daemon, null, "image", "rm", "team/base:1");
        assertThat(inUse.code()).isEqualTo(5);
        assertThat(inUse.err()).contains("used by container web");

        assertThat(ok("container", "stop", "-t", "1", "web").out()).contains("web stopped").doesNotContain("(stopped)");
        assertThat(ok("container", "wait", "web").out()).isEqualTo("143\n");
        assertThat(ok("ps").out()).containsPattern("web +container +stopped \\(stopped 143\\)");
        ok("container", "rm", "web");
        assertThat(ok("image", "rm", "team/base:1").out()).contains("Untagged: team/base:1").contains("Deleted: sha256:");
        assertThat(ok("image", "prune").out()).containsPattern("removed [1-9]\\d* blobs and 1 layers");
        assertThat(ok("image", "ls").out()).doesNotContain("team/base");

        var missing = cli(daemon, null, "run", "--rm", "127.0.0.1:9/none/such:1", "true");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("Unable to find image").contains("127.0.0.1:9");
    }
}
