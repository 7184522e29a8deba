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
        assertThat(r.code())
                .as("vessel %s\nout: %s\nerr: %s", String.join(" ", args), r.out(), r.err())
                .isZero();
        return r;
    }

    @Test
    void aContainersWholeLifeThroughTheCli() throws Exception {
        var imported = ok(
                "image",
                "import",
                "--rootfs",
                dev.vessel.container.testing.TestImage.rootfsTarball(work.resolve("r.tgz"))
                        .toString(),
                "team/base:1");
        assertThat(imported.out()).startsWith("team/base:1 ");
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"vm1\",\"kernel\":\"/bin/busybox\",\"memory\":\"64M\"}")
                        .status())
                .isEqualTo(201);

        assertThat(ok("run", "-d", "--name", "web", "-m", "32M", "team/base:1", "sh", "-c", "echo started; sleep 60")
                        .out())
                .isEqualTo("web\n");
        var ps = ok("ps").out();
        assertThat(ps).containsPattern("web +container +running \\S+ +team/base:1 +- +32.0MiB");
        assertThat(ps).containsPattern("vm1 +vm +created");
        assertThat(ok("inspect", "web").out())
                .contains("Kind:      container")
                .contains("Rootfs:    overlay")
                .contains("Image id:  sha256:");
        assertThat(ok("container", "ls").out()).contains("web").doesNotContain("vm1");

        var exec = cli(daemon, null, "container", "exec", "web", "sh", "-c", "echo in; echo err >&2; exit 3");
        assertThat(exec.code()).isEqualTo(3);
        assertThat(exec.out()).isEqualTo("in\n");
        assertThat(exec.err()).isEqualTo("err\n");
        assertThat(ok("container", "logs", "web").out()).isEqualTo("started\n");
        // a command that is not there, or cannot run: Docker's exit codes and words, not runc's log line
        var missing = cli(daemon, null, "container", "exec", "web", "nosuchcmd");
        assertThat(missing.code()).isEqualTo(127);
        assertThat(missing.err())
                .contains("executable file not found in $PATH: nosuchcmd")
                .doesNotContain("level=error")
                .doesNotContain("time=");
        var notExecutable = cli(daemon, null, "container", "exec", "web", "/etc/passwd");
        assertThat(notExecutable.code()).isEqualTo(126);
        assertThat(notExecutable.err()).contains("cannot run /etc/passwd").doesNotContain("level=error");

        // run --rm returns once the container is removed, as docker's does: the same name can run again at once
        for (int n = 0; n < 3; n++) {
            var rm = cli(
                    daemon,
                    null,
                    "run",
                    "--rm",
                    "--name",
                    "t1",
                    "team/base:1",
                    "sh",
                    "-c",
                    "echo run " + n + "; exit 4");
            assertThat(rm.code()).as(rm.err()).isEqualTo(4);
            assertThat(rm.out()).isEqualTo("run " + n + "\n");
            assertThat(daemon.client().call("GET", "/api/v1/instances/t1", null).status())
                    .as("gone when run returned")
                    .isEqualTo(404);
        }
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/web/wait?condition=soon", null)
                        .status())
                .isEqualTo(400);

        var inUse = cli(daemon, null, "image", "rm", "team/base:1");
        assertThat(inUse.code()).isEqualTo(5);
        assertThat(inUse.err()).contains("used by container web");

        assertThat(ok("container", "stop", "-t", "1", "web").out())
                .contains("web stopped")
                .doesNotContain("(stopped)");
        assertThat(ok("container", "wait", "web").out()).isEqualTo("143\n");
        assertThat(ok("ps").out()).containsPattern("web +container +stopped \\(exit 143\\)");
        ok("container", "rm", "web");
        assertThat(ok("image", "rm", "team/base:1").out())
                .contains("Untagged: team/base:1")
                .contains("Deleted: sha256:");
        assertThat(ok("image", "prune").out()).containsPattern("removed [1-9]\\d* blobs and 1 layers");
        assertThat(ok("image", "ls").out()).doesNotContain("team/base");

        var noImage = cli(daemon, null, "run", "--rm", "127.0.0.1:9/none/such:1", "true");
        assertThat(noImage.code()).isNotZero();
        assertThat(noImage.err()).contains("Unable to find image").contains("127.0.0.1:9");
    }
}
