package dev.vessel.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.container.testing.TestImage;
import dev.vessel.host.Json;
import dev.vessel.http.ApiClient;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Helpers for container tests against a real daemon: test images, create/start/wait, attach, exec and the CLI. */
final class ContainerSupport {
    private ContainerSupport() {}

    /** Builds a busybox image (configured by {@code config}), writes it as an OCI layout and loads it; returns its name. */
    static String load(DaemonProcess d, Path dir, String name, UnaryOperator<TestImage> config) throws IOException {
        Path layout = Files.createTempDirectory(dir, "layout-");
        TestImage.ociLayout(layout, config.apply(TestImage.busybox()).build(), name);
        d.okTask("/api/v1/oci-images/load", "{\"path\":\"" + layout + "\"}");
        return name;
    }

    static JsonNode create(DaemonProcess d, String json) {
        var r = d.post("/api/v1/containers", json);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return Json.tree(r.text());
    }

    static void start(DaemonProcess d, String name) {
        d.okTask("/api/v1/instances/" + name + "/start", null);
    }

    /** Creates and starts; returns the container once it stopped. */
    static JsonNode runToEnd(DaemonProcess d, String json) throws InterruptedException {
        String name = create(d, json).path("name").asText();
        start(d, name);
        return awaitStatus(d, name, "stopped", Duration.ofSeconds(60));
    }

    static JsonNode awaitStatus(DaemonProcess d, String name, String status, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        JsonNode i = null;
        while (System.nanoTime() < deadline) {
            i = d.instance(name);
            if (i.path("status").asText().equals(status)) {
                return i;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " did not become " + status + " within " + max + ": " + i);
    }

    static int exitCodeOfStopped(JsonNode instance) {
        return instance.path("state").path("exitCode").asInt(-1);
    }

    static String logs(DaemonProcess d, String name) {
        return d.client()
                .call("GET", "/api/v1/instances/" + name + "/logs", null)
                .text();
    }

    static ApiClient.Upgraded attach(DaemonProcess d, String name, boolean stdin) {
        Object r = d.client().upgrade("/api/v1/instances/" + name + "/attach?stdin=" + stdin, "vessel-attach");
        if (r instanceof ApiClient.Response resp) {
            throw new AssertionError("attach " + name + " -> " + resp.status() + " " + resp.text());
        }
        return (ApiClient.Upgraded) r;
    }

    /** Reads an attach stream until the daemon closes it (the process ended). */
    static String readAll(ApiClient.Upgraded conn) throws IOException {
        return new String(conn.in().readAllBytes(), StandardCharsets.UTF_8);
    }

    record ExecResult(int exitCode, String stdout, String stderr) {}

    static ExecResult exec(DaemonProcess d, String name, boolean tty, String input, String... cmd) throws IOException {
        var q = new StringBuilder("/api/v1/instances/" + name + "/exec?tty=" + tty + "&interactive=" + (input != null));
        for (String c : cmd) {
            q.append("&cmd=")
                    .append(URLEncoder.encode(c, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        Object r = d.client().upgrade(q.toString(), "vessel-exec");
        if (r instanceof ApiClient.Response resp) {
            throw new AssertionError("exec -> " + resp.status() + " " + resp.text());
        }
        try (var conn = (ApiClient.Upgraded) r) {
            if (input != null) {
                conn.out().write(input.getBytes(StandardCharsets.UTF_8));
                conn.out().flush();
                if (!tty) {
                    conn.channel().shutdownOutput();
                }
            }
            var out = new ByteArrayOutputStream();
            var err = new ByteArrayOutputStream();
            var in = new DataInputStream(conn.in());
            try {
                while (true) {
                    int stream = in.readUnsignedByte();
                    in.skipNBytes(3);
                    byte[] b = in.readNBytes(in.readInt());
                    switch (stream) {
                        case 1 -> out.write(b);
                        case 2 -> err.write(b);
                        default -> {
                            return new ExecResult(
                                    Integer.parseInt(new String(b, StandardCharsets.US_ASCII)),
                                    out.toString(StandardCharsets.UTF_8),
                                    err.toString(StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (EOFException e) {
                throw new AssertionError("exec ended without an exit code; out: " + out + " err: " + err);
            }
        }
    }

    record Cli(int code, String out, String err) {}

    /** Runs {@code vessel ARGS} in its own JVM (the test classpath has the CLI) against the daemon. */
    static Cli cli(DaemonProcess d, byte[] stdin, String... args) throws IOException, InterruptedException {
        var argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.vessel.cli.VesselCli",
                "-H",
                "unix://" + d.socket()));
        argv.addAll(List.of(args));
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        var pb = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
        Path in = null;
        if (stdin != null) {
            in = Files.createTempFile("cli-in", ".txt");
            Files.write(in, stdin);
            pb.redirectInput(in.toFile());
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vessel " + String.join(" ", args) + " hung");
        }
        try {
            return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (in != null) {
                Files.deleteIfExists(in);
            }
        }
    }

    /** Overlay mounts on the host whose mount point is under {@code dir}. */
    static List<String> overlayMountsUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(" - overlay ") && l.split(" ")[4].startsWith(dir.toString()))
                .toList();
    }
}
