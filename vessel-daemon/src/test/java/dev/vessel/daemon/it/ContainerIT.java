package dev.vessel.daemon.it;

import static dev.vessel.daemon.it.ContainerSupport.attach;
import static dev.vessel.daemon.it.ContainerSupport.create;
import static dev.vessel.daemon.it.ContainerSupport.exec;
import static dev.vessel.daemon.it.ContainerSupport.logs;
import static dev.vessel.daemon.it.ContainerSupport.runToEnd;
import static dev.vessel.daemon.it.ContainerSupport.start;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.host.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** OCI containers under real runc through the daemon's API: process settings, limits, exits, stop, exec, attach. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class ContainerIT {
    static DaemonProcess daemon;
    static Path work;
    static String image;

    @BeforeAll
    static void daemonWithAnImage() throws Exception {
        daemon = new DaemonProcess().start();
        work = Files.createTempDirectory(Path.of("/tmp"), "vci-");
        image = ContainerSupport.load(
                daemon,
                work,
                "test/busybox:1",
                t -> t.set("Env", List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "IMAGE_VAR=from-image"))
                        .set("Cmd", List.of("sh", "-c", "echo $IMAGE_VAR; pwd; id -u; id -G"))
                        .set("WorkingDir", "/srv")
                        .set("User", "app"));
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
        dev.vessel.host.AtomicFiles.deleteTree(work);
    }

    static String body(String name, String extra) {
        return "{\"name\":\"" + name + "\",\"image\":\"" + image + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    @Test
    void theProcessOutputAndExitCodeAreReported() throws Exception {
        JsonNode c =
                runToEnd(daemon, body("out", "\"command\":[\"sh\",\"-c\",\"echo to-out; echo to-err >&2; exit 3\"]"));
        assertThat(c.path("state").path("reason").asText()).isEqualTo("exited");
        assertThat(c.path("state").path("exitCode").asInt()).isEqualTo(3);
        assertThat(logs(daemon, "out")).contains("to-out\n").contains("to-err\n");
    }

    @Test
    void theImageConfigGivesTheDefaultsAndTheUserOverridesThem() throws Exception {
        runToEnd(daemon, body("defaults", ""));
        assertThat(logs(daemon, "defaults")).isEqualTo("from-image\n/srv\n1000\n1000 2000\n");

        runToEnd(
                daemon,
                body(
                        "overrides",
                        "\"env\":[\"IMAGE_VAR=overridden\",\"X=1\"],\"workdir\":\"/tmp\",\"user\":\"0:0\","
                                + "\"command\":[\"sh\",\"-c\",\"echo $IMAGE_VAR $X; pwd; id -u\"]"));
        assertThat(logs(daemon, "overrides")).isEqualTo("overridden 1\n/tmp\n0\n");

        runToEnd(daemon, body("entry", "\"entrypoint\":[\"echo\"],\"command\":[\"from\",\"entrypoint\"]"));
        assertThat(logs(daemon, "entry")).isEqualTo("from entrypoint\n");
    }

    @Test
    void hostnameReadOnlyRootTmpfsBindMountsAndNamedVolumesWork() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        Files.writeString(in.resolve("file"), "from-the-host");
        runToEnd(
                daemon,
                body(
                        "mounts",
                        "\"hostname\":\"box\",\"readOnly\":true,\"user\":\"0\",\"tmpfs\":[\"/scratch:size=1m\"],"
                                + "\"volumes\":[\"" + in + ":/in:ro\",\"keep:/out\"],\"command\":[\"sh\",\"-c\","
                                + "\"hostname; touch /x 2>/dev/null || echo root-ro; echo t > /scratch/t && cat /scratch/t; cat /in/file; echo;"
                                + " touch /in/y 2>/dev/null || echo bind-ro; echo persisted > /out/f; grep -c box /etc/hosts\"]"));
        assertThat(logs(daemon, "mounts")).isEqualTo("box\nroot-ro\nt\nfrom-the-host\nbind-ro\n1\n");
        assertThat(daemon.dataDir().resolve("container-volumes/keep/f")).hasContent("persisted");

        runToEnd(
                daemon,
                body("mounts2", "\"user\":\"0\",\"volumes\":[\"keep:/again\"],\"command\":[\"cat\",\"/again/f\"]"));
        assertThat(logs(daemon, "mounts2")).isEqualTo("persisted\n");
    }

    @Test
    void limitsAreSetInTheContainersCgroupAndAKillEndsItAtOnce() throws Exception {
        String id = create(
                        daemon,
                        body(
                                "limits",
                                "\"memory\":\"32M\",\"cpus\":0.5,\"pidsLimit\":20,\"command\":[\"sleep\",\"60\"]"))
                .path("id")
                .asText();
        start(daemon, "limits");
        String cg = "vessel/vessel-" + id;
        assertThat(Files.readString(Path.of("/sys/fs/cgroup/memory", cg, "memory.limit_in_bytes"))
                        .strip())
                .isEqualTo("33554432");
        assertThat(Files.readString(Path.of("/sys/fs/cgroup/cpu", cg, "cpu.cfs_quota_us"))
                        .strip())
                .isEqualTo("50000");
        assertThat(Files.readString(Path.of("/sys/fs/cgroup/pids", cg, "pids.max"))
                        .strip())
                .isEqualTo("20");
        JsonNode running = daemon.instance("limits");
        assertThat(running.path("memory").path("cgroupLimit").asLong()).isEqualTo(32L << 20);
        assertThat(running.path("memory").path("processRss").asLong()).isPositive();

        daemon.okTask("/api/v1/instances/limits/kill", null);
        JsonNode killed = daemon.instance("limits");
        assertThat(killed.path("state").path("reason").asText()).isEqualTo("killed");
        assertThat(killed.path("state").path("exitCode").asInt()).isEqualTo(137);
        // the exit is reported first; runc delete (which removes the cgroup) follows in the cleanup after it
        for (int i = 0; i < 100 && Files.exists(Path.of("/sys/fs/cgroup/memory", cg)); i++) {
            Thread.sleep(100);
        }
        assertThat(Path.of("/sys/fs/cgroup/memory", cg)).doesNotExist();
    }

    @Test
    void noNewPrivilegesIsOffAsInDockerAndOnWhenAskedFor() throws Exception {
        create(daemon, body("nnp-on", "\"securityOpt\":[\"no-new-privileges\"],\"command\":[\"sleep\",\"60\"]"));
        create(daemon, body("nnp-off", "\"command\":[\"sleep\",\"60\"]"));
        start(daemon, "nnp-on");
        start(daemon, "nnp-off");
        for (String n : List.of("nnp-on", "nnp-off")) {
            JsonNode c = daemon.instance(n);
            long pid = c.path("runtime").path("pid").asLong();
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            boolean on = n.equals("nnp-on");
            assertThat(status).contains("NoNewPrivs:\t" + (on ? 1 : 0));
            assertThat(c.path("confinement").path("noNewPrivs").asBoolean()).isEqualTo(on);
            assertThat(c.path("spec").path("noNewPrivileges").asBoolean()).isEqualTo(on);
            daemon.okTask("/api/v1/instances/" + n + "/kill", null);
        }
        var bad = daemon.post("/api/v1/containers", body("nnp-bad", "\"securityOpt\":[\"seccomp=unconfined\"]"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("'seccomp=unconfined' is not supported");
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/nnp-bad", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aUsernsAutoContainerIsRootInsideAndAnUnprivilegedRangeOfHostIdsOutside() throws Exception {
        Path table = daemon.dataDir().resolve("container-userns.json");
        JsonNode created = create(
                daemon,
                body(
                        "uns",
                        "\"userns\":\"auto\",\"user\":\"0\",\"volumes\":[\"uns-vol:/data\"],\"command\":[\"sh\",\"-c\","
                                + "\"id -u; echo mine > /etc/written && cat /etc/written; echo x >> /etc/hosts && echo hosts;"
                                + " touch /data/f && echo volume; touch /proc/sysrq-trigger 2>/dev/null || echo ro-proc;"
                                + " echo ready; sleep 60\"]"));
        String id = created.path("id").asText();
        JsonNode spec = created.path("spec");
        assertThat(spec.path("userns").asText()).isEqualTo("auto");
        assertThat(spec.path("rootfs").asText())
                .as("never an overlay over shared layers")
                .isEqualTo("copy");
        long base = spec.path("usernsRange").path("hostId").asLong();
        assertThat(base).isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(spec.path("usernsRange").path("size").asLong()).isEqualTo(65_536);
        assertThat(Json.tree(Files.readString(table)).path(id).asLong()).isEqualTo(base);
        Path rootfs = daemon.dataDir().resolve("instances/" + id + "/rootfs");
        assertThat(Files.getAttribute(rootfs.resolve("etc/passwd"), "unix:uid")).isEqualTo((int) base);

        start(daemon, "uns");
        for (int i = 0; i < 600 && !logs(daemon, "uns").contains("ready"); i++) {
            Thread.sleep(50);
        }
        assertThat(logs(daemon, "uns")).isEqualTo("0\nmine\nhosts\nvolume\nro-proc\nready\n");
        JsonNode running = daemon.instance("uns");
        long pid = running.path("runtime").path("pid").asLong();
        String uidLine = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Uid:"))
                .findFirst()
                .orElseThrow();
        assertThat(uidLine.split("\\s+")).containsExactly("Uid:", "" + base, "" + base, "" + base, "" + base);
        assertThat(Files.readString(Path.of("/proc/" + pid + "/uid_map"))
                        .strip()
                        .split("\\s+"))
                .containsExactly("0", "" + base, "65536");
        assertThat(Files.readString(Path.of("/proc/" + pid + "/gid_map"))
                        .strip()
                        .split("\\s+"))
                .containsExactly("0", "" + base, "65536");
        assertThat(running.path("confinement").path("uid").asLong()).isEqualTo(base);
        assertThat(Files.getAttribute(rootfs.resolve("etc/written"), "unix:uid"))
                .isEqualTo((int) base);
        assertThat(Files.getAttribute(daemon.dataDir().resolve("container-volumes/uns-vol/f"), "unix:uid"))
                .isEqualTo((int) base);
        assertThat(exec(daemon, "uns", false, null, "id", "-u").stdout()).isEqualTo("0\n");
        var tty = exec(daemon, "uns", true, "tty; exit 6\n", "sh");
        assertThat(tty.exitCode()).isEqualTo(6);
        assertThat(tty.stdout()).contains("/dev/pts/");
        var inspect = ContainerSupport.cli(daemon, null, "container", "inspect", "uns");
        assertThat(inspect.out())
                .as(inspect.err())
                .containsPattern(
                        "Userns: +auto \\(container ids 0-65535 are host ids " + base + "-" + (base + 65_535) + "\\)");

        daemon.okTask("/api/v1/instances/uns/kill", null);
        assertThat(daemon.client().call("DELETE", "/api/v1/instances/uns", null).status())
                .isEqualTo(204);
        assertThat(Json.tree(Files.readString(table)).has(id))
                .as("the range is freed")
                .isFalse();
    }

    @Test
    void aUsernsContainerTakesStdinAsTheImagesUserAndRunsOnTheHostNetwork() throws Exception {
        create(
                daemon,
                body(
                        "uns-cat",
                        "\"userns\":\"auto\",\"network\":\"host\",\"interactive\":true,"
                                + "\"command\":[\"sh\",\"-c\",\"cat; id -u; echo done\"]"));
        start(daemon, "uns-cat");
        try (var conn = attach(daemon, "uns-cat", true)) {
            conn.out().write("hello\n".getBytes(StandardCharsets.UTF_8));
            conn.out().flush();
            conn.channel().shutdownOutput();
            // the image's user app (1000) inside, its stdin fifo given to the mapped id outside
            assertThat(ContainerSupport.readAll(conn)).isEqualTo("hello\n1000\ndone\n");
        }
        assertThat(ContainerSupport.awaitStatus(daemon, "uns-cat", "stopped", Duration.ofSeconds(10))
                        .path("state")
                        .path("exitCode")
                        .asInt())
                .isZero();
    }

    @Test
    void aBadUsernsIsRefusedAndAFailedCreateKeepsNoRange() throws Exception {
        var bad = daemon.post("/api/v1/containers", body("uns-bad", "\"userns\":\"foo\""));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("userns").contains("'foo' is not supported (allowed: host, auto)");
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/uns-bad", null)
                        .status())
                .isEqualTo(404);

        var cliBad = ContainerSupport.cli(daemon, null, "container", "create", "--userns", "foo", image);
        assertThat(cliBad.code()).isNotZero();
        assertThat(cliBad.err()).contains("'foo' is not supported (allowed: host, auto)");
        var cliAuto = ContainerSupport.cli(
                daemon, null, "container", "create", "--name", "uns-cli", "--userns", "auto", image, "true");
        assertThat(cliAuto.code()).as(cliAuto.err()).isZero();
        assertThat(daemon.instance("uns-cli").path("spec").path("userns").asText())
                .isEqualTo("auto");
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/uns-cli", null)
                        .status())
                .isEqualTo(204);

        Path table = daemon.dataDir().resolve("container-userns.json");
        String before = Files.exists(table) ? Files.readString(table) : "{}\n";
        var failed =
                daemon.post("/api/v1/containers", body("uns-nonet", "\"userns\":\"auto\",\"network\":\"no-such-net\""));
        assertThat(failed.status()).as(failed.text()).isIn(400, 404);
        assertThat(daemon.client()
                        .call("GET", "/api/v1/instances/uns-nonet", null)
                        .status())
                .isEqualTo(404);
        assertThat(Files.exists(table) ? Files.readString(table) : "{}\n").isEqualTo(before);
    }

    @Test
    void aProcessOverItsMemoryLimitIsReportedAsOomKilled() throws Exception {
        JsonNode c = runToEnd(
                daemon,
                body(
                        "oom",
                        "\"memory\":\"8M\",\"command\":[\"sh\",\"-c\",\"x=0123456789; while :; do x=$x$x; done\"]"));
        assertThat(c.path("state").path("reason").asText()).isEqualTo("oom-killed");
        assertThat(c.path("state").path("exitCode").asInt()).isEqualTo(137);
        assertThat(c.path("state").path("detail").asText()).contains("OOM killer");
    }

    @Test
    void stopSendsTheStopSignalAndTheProcessEndsItsOwnWay() throws Exception {
        create(
                daemon,
                body(
                        "graceful",
                        "\"command\":[\"sh\",\"-c\",\"trap 'echo got TERM; exit 3' TERM; while :; do sleep 0.1; done\"]"));
        start(daemon, "graceful");
        Thread.sleep(300);
        daemon.okTask("/api/v1/instances/graceful/stop", null);
        JsonNode c = daemon.instance("graceful");
        assertThat(c.path("state").path("reason").asText()).isEqualTo("stopped");
        assertThat(c.path("state").path("exitCode").asInt()).isEqualTo(3);
        assertThat(logs(daemon, "graceful")).contains("got TERM");
    }

    @Test
    void theImagesStopSignalIsTheOneSent() throws Exception {
        String usr1 = ContainerSupport.load(
                daemon,
                work,
                "test/usr1:1",
                t -> t.set("StopSignal", "SIGUSR1")
                        .set(
                                "Cmd",
                                List.of("sh", "-c", "trap 'echo got USR1; exit 0' USR1; while :; do sleep 0.1; done")));
        create(daemon, "{\"name\":\"usr1\",\"image\":\"" + usr1 + "\"}");
        start(daemon, "usr1");
        Thread.sleep(300);
        daemon.okTask("/api/v1/instances/usr1/stop", null);
        assertThat(daemon.instance("usr1").path("state").path("exitCode").asInt())
                .isZero();
        assertThat(logs(daemon, "usr1")).contains("got USR1");
    }

    @Test
    void aProcessThatIgnoresTheStopSignalIsKilledAfterTheTimeout() throws Exception {
        create(daemon, body("stubborn", "\"command\":[\"sh\",\"-c\",\"trap '' TERM; while :; do sleep 0.1; done\"]"));
        start(daemon, "stubborn");
        Thread.sleep(300);
        long t0 = System.nanoTime();
        daemon.okTask("/api/v1/instances/stubborn/stop?timeout=1", null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        JsonNode c = daemon.instance("stubborn");
        assertThat(c.path("state").path("reason").asText()).isEqualTo("stop-timeout-killed");
        assertThat(c.path("state").path("exitCode").asInt()).isEqualTo(137);
        assertThat(ms).isBetween(1000L, 8000L);
    }

    @Test
    void execRunsCommandsInTheRunningContainer() throws Exception {
        create(daemon, body("execd", "\"command\":[\"sleep\",\"60\"]"));
        start(daemon, "execd");
        var r = exec(daemon, "execd", false, null, "sh", "-c", "echo out; echo err >&2; id -u; exit 4");
        assertThat(r).isEqualTo(new ContainerSupport.ExecResult(4, "out\n1000\n", "err\n"));
        assertThat(exec(daemon, "execd", false, "fed in\n", "cat").stdout()).isEqualTo("fed in\n");
        var tty = exec(daemon, "execd", true, "tty; exit 6\n", "sh");
        assertThat(tty.exitCode()).isEqualTo(6);
        assertThat(tty.stdout()).contains("/dev/pts/");
        daemon.okTask("/api/v1/instances/execd/kill", null);
    }

    @Test
    void attachSendsInputAndItsEndEndsTheProcessesInput() throws Exception {
        create(daemon, body("catter", "\"interactive\":true,\"command\":[\"sh\",\"-c\",\"cat; echo done\"]"));
        start(daemon, "catter");
        try (var conn = attach(daemon, "catter", true)) {
            conn.out().write("hello\n".getBytes(StandardCharsets.UTF_8));
            conn.out().flush();
            conn.channel().shutdownOutput();
            assertThat(ContainerSupport.readAll(conn)).isEqualTo("hello\ndone\n");
        }
        assertThat(ContainerSupport.awaitStatus(daemon, "catter", "stopped", Duration.ofSeconds(10))
                        .path("state")
                        .path("exitCode")
                        .asInt())
                .isZero();
    }

    @Test
    void aTerminalContainerIsDrivenThroughAttachAndResized() throws Exception {
        create(daemon, body("term", "\"tty\":true,\"interactive\":true,\"user\":\"0\",\"command\":[\"sh\"]"));
        start(daemon, "term");
        assertThat(daemon.post("/api/v1/instances/term/resize?rows=40&cols=100", null)
                        .status())
                .isEqualTo(204);
        try (var conn = attach(daemon, "term", true)) {
            conn.out().write("tty; stty size; echo $((6*7)); exit 5\n".getBytes(StandardCharsets.UTF_8));
            conn.out().flush();
            String out = ContainerSupport.readAll(conn);
            assertThat(out).contains("/dev/pts/0").contains("40 100").contains("42");
        }
        assertThat(daemon.instance("term").path("state").path("exitCode").asInt())
                .isEqualTo(5);
    }

    @Test
    void aContainerMadeToBeRemovedIsGoneWhenItEndsAndWaitStillTellsItsExitCode() throws Exception {
        create(daemon, body("gone", "\"autoRemove\":true,\"command\":[\"sh\",\"-c\",\"exit 9\"]"));
        try (var s = daemon.client().stream("GET", "/api/v1/instances/gone/wait?next=true")) {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(s.body(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).contains("waiting");
            start(daemon, "gone");
            JsonNode result = Json.tree(lines.readLine());
            assertThat(result.path("exitCode").asInt()).isEqualTo(9);
            assertThat(result.path("reason").asText()).isEqualTo("exited");
        }
        for (int i = 0;
                i < 100
                        && daemon.client()
                                        .call("GET", "/api/v1/instances/gone", null)
                                        .status()
                                != 404;
                i++) {
            Thread.sleep(50);
        }
        assertThat(daemon.client().call("GET", "/api/v1/instances/gone", null).status())
                .isEqualTo(404);
    }

    @Test
    void theWritableLayerIsPrivateAndTheImageNeverChanges() throws Exception {
        String id = create(
                        daemon,
                        body(
                                "writer",
                                "\"user\":\"0\",\"command\":[\"sh\",\"-c\",\"echo mine > /etc/motd; rm /bin/vi; cat /etc/motd\"]"))
                .path("id")
                .asText();
        start(daemon, "writer");
        ContainerSupport.awaitStatus(daemon, "writer", "stopped", Duration.ofSeconds(30));
        assertThat(logs(daemon, "writer")).isEqualTo("mine\n");
        assertThat(daemon.instance("writer").path("spec").path("rootfs").asText())
                .isEqualTo("overlay");
        assertThat(daemon.dataDir().resolve("instances/" + id + "/upper/etc/motd"))
                .hasContent("mine");
        runToEnd(
                daemon,
                body("reader", "\"user\":\"0\",\"command\":[\"sh\",\"-c\",\"cat /etc/motd 2>&1; ls /bin/vi\"]"));
        assertThat(logs(daemon, "reader")).contains("No such file").contains("/bin/vi");
        try (var layers = Files.walk(daemon.dataDir().resolve("oci/layers"))) {
            assertThat(layers.filter(p -> p.endsWith("etc/motd")).toList()).isEmpty();
        }
    }

    @Test
    void containersAndVmsShareOneListAndOneNameSpace() throws Exception {
        var vm = daemon.post("/api/v1/vms", "{\"name\":\"twin\",\"kernel\":\"/bin/busybox\",\"memory\":\"64M\"}");
        assertThat(vm.status()).as(vm.text()).isEqualTo(201);
        var clash = daemon.post("/api/v1/containers", body("twin", ""));
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.text()).contains("already-exists");
        create(daemon, body("solo", "\"command\":[\"true\"]"));
        assertThat(daemon.post("/api/v1/vms", "{\"name\":\"solo\",\"kernel\":\"/bin/busybox\"}")
                        .status())
                .isEqualTo(409);
        Map<String, String> kinds = new java.util.HashMap<>();
        daemon.get("/api/v1/instances")
                .forEach(i -> kinds.put(i.path("name").asText(), i.path("kind").asText()));
        assertThat(kinds).containsEntry("twin", "vm").containsEntry("solo", "container");
        assertThat(daemon.get("/api/v1/instances/solo")
                        .path("spec")
                        .path("imageId")
                        .asText())
                .startsWith("sha256:");
        assertThat(daemon.client()
                        .call("DELETE", "/api/v1/instances/twin", null)
                        .status())
                .isEqualTo(204);
    }

    @Test
    void aRestartStopsAndStartsTheSameContainerWithItsWritableLayerAndLog() throws Exception {
        create(
                daemon,
                body(
                        "again",
                        "\"user\":\"0\",\"command\":[\"sh\",\"-c\",\"echo run >> /count; wc -l < /count; sleep 60\"]"));
        start(daemon, "again");
        long pid = daemon.instance("again").path("runtime").path("pid").asLong();
        daemon.okTask("/api/v1/instances/again/restart?timeout=1", null);
        JsonNode c = ContainerSupport.awaitStatus(daemon, "again", "running", Duration.ofSeconds(10));
        assertThat(c.path("runtime").path("pid").asLong()).isNotEqualTo(pid);
        for (int i = 0; i < 50 && !logs(daemon, "again").contains("2\n"); i++) {
            Thread.sleep(100);
        }
        assertThat(logs(daemon, "again")).isEqualTo("1\n2\n");
        daemon.okTask("/api/v1/instances/again/kill", null);
        var r = daemon.client().upgrade("/api/v1/instances/again/exec?cmd=true", "vessel-exec");
        assertThat(r)
                .isInstanceOfSatisfying(
                        dev.vessel.http.ApiClient.Response.class,
                        resp -> assertThat(resp.status()).isEqualTo(409));
    }

    @Test
    void noneGivesLoopbackOnlyAndHostSharesTheHostsNetwork() throws Exception {
        runToEnd(
                daemon,
                body(
                        "netnone",
                        "\"network\":\"none\",\"command\":[\"sh\",\"-c\",\"ls /sys/class/net; cat /sys/class/net/lo/operstate\"]"));
        assertThat(logs(daemon, "netnone")).isEqualTo("lo\nunknown\n");
        runToEnd(daemon, body("nethost", "\"network\":\"host\",\"command\":[\"ls\",\"/sys/class/net\"]"));
        List<String> host;
        try (var s = Files.list(Path.of("/sys/class/net"))) {
            host = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(logs(daemon, "nethost").lines().sorted().toList()).isEqualTo(host);
        assertThat(daemon.dataDir()
                        .resolve("instances/"
                                + daemon.instance("nethost").path("id").asText() + "/etc/resolv.conf"))
                .hasSameTextualContentAs(Path.of("/etc/resolv.conf"));
    }

    @Test
    void badContainerRequestsAreRefusedWithTheField() {
        Map<String, String> bad = Map.of(
                "{\"image\":\"nope/missing:1\"}",
                "pull it first",
                body("b1", "\"memory\":\"1K\""),
                "memory",
                body("b2", "\"volumes\":[\"/does/not/exist:/x\"]"),
                "does not exist",
                body("b3", "\"volumes\":[\"keep:relative\"]"),
                "absolute",
                body("b4", "\"tmpfs\":[\"/t:size=1m,suid\"]"),
                "not a tmpfs option",
                body("b5", "\"restart\":\"sometimes\""),
                "restart",
                body("b6", "\"user\":\"a:b:c\""),
                "user",
                body("b7", "\"stopSignal\":\"SIGNOPE\""),
                "signal",
                body("b8", "\"autoRemove\":true,\"restart\":\"always\""),
                "--rm",
                body("b9", "\"env\":[\"=x\"]"),
                "KEY=VALUE");
        bad.forEach((json, message) -> {
            var r = daemon.post("/api/v1/containers", json);
            assertThat(r.status()).as(json).isIn(400, 404);
            assertThat(r.text()).as(json).contains(message);
        });
    }
}
