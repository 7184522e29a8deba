package dev.vessel.daemon.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.http.ApiClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs shell commands in a tiny guest over its serial console (the VMs have no network), and reads what the guest
 * printed at boot. The guest's HTTP endpoint is reached from inside: {@code wget http://127.0.0.1/cgi-bin/...}.
 */
final class GuestShell {
    private static final AtomicInteger SEQ = new AtomicInteger(100);

    private GuestShell() {}

    /**
     * Runs {@code command} and returns what it printed, framed by two arithmetic echoes: the console echoes the typed
     * line with the expressions, only the real output has their values.
     */
    static String run(DaemonProcess d, String vm, String command, Duration timeout) throws IOException {
        int n = SEQ.incrementAndGet();
        String begin = "BEGIN-" + (n * 5);
        String end = "END-" + (n * 7);
        Object answer = attach(d, vm);
        if (!(answer instanceof ApiClient.Upgraded up)) {
            var r = (ApiClient.Response) answer;
            throw new AssertionError("console of " + vm + ": " + r.status() + " " + r.text());
        }
        // A blocked read has no timeout of its own: a watchdog closes the connection at the deadline.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(timeout.toMillis());
                up.close();
            } catch (InterruptedException | IOException e) {
                // done in time, or already closed
            }
        });
        String sep = command.strip().endsWith("&") ? " true; " : "; ";
        try (up) {
            up.out()
                    .write(("\necho BEGIN-$((" + n + "*5)); " + command + sep + "echo END-$((" + n + "*7))\n")
                            .getBytes(StandardCharsets.UTF_8));
            up.out().flush();
            var sb = new StringBuilder();
            byte[] b = new byte[4096];
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                // Only the output has the computed values; the echoed command line shows the expressions.
                int from = sb.indexOf(begin);
                int idx = from < 0 ? -1 : sb.indexOf(end, from);
                if (idx >= 0) {
                    return sb.substring(from + begin.length(), idx)
                            .replace("\r", "")
                            .strip();
                }
                int r;
                try {
                    r = up.in().read(b);
                } catch (IOException e) {
                    break;
                }
                if (r < 0) {
                    break;
                }
                sb.append(new String(b, 0, r, StandardCharsets.UTF_8));
            }
            throw new AssertionError("no answer from " + vm + " to '" + command + "': " + sb);
        } finally {
            watchdog.interrupt();
        }
    }

    /** The console takes one client; the daemon notices a closed one a moment later, so a busy console is retried. */
    private static Object attach(DaemonProcess d, String vm) {
        Object answer = null;
        for (int i = 0; i < 50; i++) {
            answer = d.client().upgrade("/api/v1/instances/" + vm + "/console", "vessel-console");
            if (answer instanceof ApiClient.Upgraded || ((ApiClient.Response) answer).status() != 409) {
                return answer;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
        }
        return answer;
    }

    static String run(DaemonProcess d, String vm, String command) throws IOException {
        return run(d, vm, command, Duration.ofSeconds(60));
    }

    /** Sets the tiny-disk guest's persistent marker through its HTTP endpoint (which syncs). */
    static void setMarker(DaemonProcess d, String vm, String value) throws IOException {
        String out = run(d, vm, "wget -qO- http://127.0.0.1/cgi-bin/marker?set=" + value);
        if (!out.contains(value)) {
            throw new AssertionError("setting the marker of " + vm + " to " + value + " answered: " + out);
        }
    }

    static String marker(DaemonProcess d, String vm) throws IOException {
        return run(d, vm, "cat /var/lib/vessel-marker; echo");
    }

    /** The marker the guest printed on its last boot (VESSEL-MARKER=...), from the serial log. */
    static String bootMarker(DaemonProcess d, String vm) throws IOException {
        var s = d.client().stream("GET", "/api/v1/instances/" + vm + "/logs");
        String log = new String(s.body().readAllBytes(), StandardCharsets.UTF_8);
        s.close();
        int i = log.lastIndexOf("VESSEL-MARKER=");
        if (i < 0) {
            throw new AssertionError(vm + " printed no marker");
        }
        int e = log.indexOf('\n', i);
        return log.substring(i + "VESSEL-MARKER=".length(), e < 0 ? log.length() : e)
                .strip();
    }

    static JsonNode createDiskVm(DaemonProcess d, String name, String extra) {
        var r = d.post(
                "/api/v1/vms",
                "{\"name\":\"" + name + "\",\"image\":\"tiny-disk\",\"memory\":\"256M\",\"accel\":\"tcg\"" + extra
                        + "}");
        if (r.status() != 201) {
            throw new AssertionError("create " + name + ": " + r.status() + " " + r.text());
        }
        return d.instance(name);
    }

    static void start(DaemonProcess d, String name) {
        d.okTask("/api/v1/instances/" + name + "/start?wait=true&timeout=120", null);
    }

    /** DELETE that answers with a task (snapshot removal); waits for it and expects success. */
    static JsonNode deleteTask(DaemonProcess d, String path) {
        var r = d.client().call("DELETE", path, null);
        if (r.status() != 202) {
            throw new AssertionError("DELETE " + path + " -> " + r.status() + " " + r.text());
        }
        String id = dev.vessel.host.Json.tree(r.text()).path("id").asText();
        for (int i = 0; i < 600; i++) {
            JsonNode t = d.get("/api/v1/tasks/" + id + "/wait?timeout=5");
            if (t.path("state").asText().matches("succeeded|failed|cancelled")) {
                if (!t.path("state").asText().equals("succeeded")) {
                    throw new AssertionError("DELETE " + path + ": " + t);
                }
                return t;
            }
        }
        throw new AssertionError("task " + id + " did not end");
    }

    static void stop(DaemonProcess d, String name) {
        d.okTask("/api/v1/instances/" + name + "/stop", null);
    }
}
