package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.http.ApiClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of a container's process: waiting for its end (registered before it starts, so a process that ends
 * at once is not missed) and attaching its output and input. With a terminal, Ctrl-] detaches and leaves it running.
 */
final class ContainerSession {
    static final int DETACH = 0x1d;

    private ContainerSession() {}

    /** Starts waiting for the container's next end; returns once the daemon has registered the wait. */
    static CompletableFuture<JsonNode> waitForEnd(Api api, String name, boolean next) {
        return waitForEnd(api, name, next, false);
    }

    /** @param untilRemoved end only once the container is removed too (as {@code docker run --rm} waits) */
    static CompletableFuture<JsonNode> waitForEnd(Api api, String name, boolean next, boolean untilRemoved) {
        ApiClient.Stream s;
        try {
            s = api.client().stream(
                    "GET",
                    "/api/v1/instances/" + Api.enc(name) + "/wait?next=" + next
                            + (untilRemoved ? "&condition=removed" : ""));
        } catch (VesselException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, e.getMessage());
        }
        var result = new CompletableFuture<JsonNode>();
        try {
            if (s.status() != 200) {
                throw Api.problem(s.status(), s.body().readAllBytes());
            }
            var reader = new BufferedReader(new InputStreamReader(s.body(), StandardCharsets.UTF_8));
            JsonNode first = next(reader);
            if (first == null || !"waiting".equals(first.path("status").asText())) {
                result.complete(first);
                s.close();
                return result;
            }
            Thread.ofVirtual().start(() -> {
                try (s) {
                    result.complete(next(reader));
                } catch (IOException e) {
                    result.completeExceptionally(e);
                }
            });
            return result;
        } catch (IOException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, "the wait broke: " + e.getMessage());
        }
    }

    private static JsonNode next(BufferedReader reader) throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.isBlank()) {
                return Api.JSON.readTree(line);
            }
        }
        return null;
    }

    /** An attach connection: its output goes to our stdout, our stdin (when sent) to its input. */
    static final class Attached {
        private final ApiClient.Upgraded conn;
        private final Thread output;
        volatile boolean detached;

        private Attached(ApiClient.Upgraded conn, Thread output) {
            this.conn = conn;
            this.output = output;
        }

        /** Sends our stdin until its end (which ends the process's input without a terminal) or Ctrl-] with one. */
        void sendInput(InputStream in, boolean tty) {
            Thread.ofVirtual().start(() -> {
                byte[] b = new byte[4096];
                try {
                    OutputStream out = conn.out();
                    int n;
                    while ((n = in.read(b)) > 0) {
                        int end = n;
                        if (tty) {
                            for (int i = 0; i < n; i++) {
                                if ((b[i] & 0xff) == DETACH) {
                                    end = i;
                                    detached = true;
                                    break;
                                }
                            }
                        }
                        out.write(b, 0, end);
                        out.flush();
                        if (detached) {
                            conn.close();
                            return;
                        }
                    }
                    conn.channel().shutdownOutput();
                } catch (IOException e) {
                    // the connection closed
                }
            });
        }

        /** The thread that copies the output: alive as long as the session. */
        Thread output() {
            return output;
        }

        /** Returns when the process's output ended (it stopped) or we detached. */
        void awaitOutput() throws InterruptedException {
            output.join();
        }

        void close() {
            try {
                conn.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    static Attached attach(Api api, String name, boolean stdin, boolean logs) {
        Object r;
        try {
            r = api.client()
                    .upgrade(
                            "/api/v1/instances/" + Api.enc(name) + "/attach?stdin=" + stdin
                                    + (logs ? "&logs=true" : ""),
                            "vessel-attach");
        } catch (VesselException e) {
            throw new CliError(ExitCodes.UNAVAILABLE, e.getMessage());
        }
        if (r instanceof ApiClient.Response resp) {
            throw Api.problem(resp.status(), resp.body());
        }
        var conn = (ApiClient.Upgraded) r;
        var sink = CliContext.current().out(); // this thread's: a relayed call's output is the client's
        Thread out = Thread.ofVirtual().start(() -> {
            byte[] b = new byte[16 * 1024];
            try {
                int n;
                while ((n = conn.in().read(b)) > 0) {
                    sink.write(b, 0, n);
                    sink.flush();
                }
            } catch (IOException e) {
                // closed: the process ended or we detached
            }
        });
        return new Attached(conn, out);
    }

    /** Tells the container's terminal our size. */
    static void resize(Api api, String name) {
        resize(api, name, Terminal.size());
    }

    private static void resize(Api api, String name, int[] size) {
        if (size != null) {
            try {
                api.post("/api/v1/instances/" + Api.enc(name) + "/resize?rows=" + size[0] + "&cols=" + size[1], null);
            } catch (CliError e) {
                // a terminal that cannot be resized still works
            }
        }
    }

    /**
     * Keeps the container's terminal as large as ours while {@code session} runs. The JDK has no supported SIGWINCH
     * handler, so the size is looked at twice a second.
     */
    static Thread followSize(Api api, String name, Thread session) {
        return Thread.ofVirtual().start(() -> {
            int[] last = Terminal.size();
            resize(api, name, last);
            try {
                while (session.isAlive()) {
                    Thread.sleep(500);
                    int[] now = Terminal.size();
                    if (now != null && (last == null || now[0] != last[0] || now[1] != last[1])) {
                        resize(api, name, now);
                        last = now;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The exit code `vessel run` and `container wait` end with: the process's own. */
    static int exitCode(JsonNode result) {
        if (result == null) {
            return ExitCodes.FAILED;
        }
        JsonNode code = result.path("exitCode");
        return code.isInt() ? code.asInt() : ExitCodes.FAILED;
    }
}
