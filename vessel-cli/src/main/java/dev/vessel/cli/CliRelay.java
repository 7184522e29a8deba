package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.access.Need;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import dev.vessel.http.Frames;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;

/**
 * Runs CLI calls inside the daemon for the thin client ({@code vessel-client}, C), so that a {@code vessel} command
 * costs a process start and one connection instead of a JVM start: {@code POST /api/v1/cli} with {@code Upgrade:
 * vessel-cli} and the call as JSON ({@code args}, {@code cwd}, {@code env}, {@code terminal}, {@code errTerminal},
 * {@code socket}: the socket the client connected to). After {@code 101} the daemon sends frames as exec does (stream
 * byte, three zero bytes, a 4-byte big-endian length, the payload): 1 standard output, 2 standard error, 3 the exit
 * code in ASCII (the last frame). A call that needs the client's own terminal or stdin (see {@link LocalCall}) or names
 * another daemon is not upgraded: {@code 200 {"run":"local"}} tells the client to run it itself. The client sends
 * nothing after the request; when it goes away (Ctrl-C) the call is interrupted, which closes the streams it reads
 * from the daemon.
 *
 * <p>Only on the unix socket: the call reads files by the client's paths with the daemon's rights, which over the
 * socket (root only) are the same as the client's.
 */
public final class CliRelay implements HttpService {
    public static final String PROTOCOL = "vessel-cli";
    static final int STDOUT = Frames.STDOUT;
    static final int STDERR = Frames.STDERR;
    static final int EXIT = Frames.EXIT;

    /** One relayed call as the client describes it. */
    record Call(
            String[] args, Path cwd, Map<String, String> env, boolean terminal, boolean errTerminal, String socket) {
        static Call parse(byte[] body) {
            JsonNode j;
            try {
                j = Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw VesselException.invalid("body", "not JSON: " + e.getMessage());
            }
            if (j == null
                    || !j.path("args").isArray()
                    || !j.path("cwd").isTextual()
                    || !j.path("socket").isTextual()) {
                throw VesselException.invalid("body", "a CLI call needs args (an array), cwd and socket");
            }
            var args = new ArrayList<String>();
            j.path("args").forEach(a -> args.add(a.asText()));
            Path cwd = Path.of(j.path("cwd").asText());
            if (!cwd.isAbsolute()) {
                throw VesselException.invalid("cwd", "'" + cwd + "' is not an absolute path");
            }
            var env = new LinkedHashMap<String, String>();
            j.path("env")
                    .properties()
                    .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            return new Call(
                    args.toArray(String[]::new),
                    cwd,
                    Map.copyOf(env),
                    j.path("terminal").asBoolean(),
                    j.path("errTerminal").asBoolean(),
                    j.path("socket").asText());
        }
    }

    @Override
    public void routing(Router r) {
        r.post("/api/v1/cli", Need.localAdmin(), req -> {
            if (!"unix".equals(req.listener())) {
                throw VesselException.invalid("listener", "CLI calls are relayed on the daemon's unix socket only");
            }
            if (!req.header("Upgrade").map(PROTOCOL::equalsIgnoreCase).orElse(false)) {
                throw VesselException.invalid(
                        "Upgrade", "a CLI call needs 'Connection: Upgrade' and 'Upgrade: " + PROTOCOL + "'");
            }
            Prepared p = prepare(Call.parse(req.body()));
            if (p.local()) {
                return HttpResponse.json(200, "{\"run\":\"local\"}".getBytes(StandardCharsets.UTF_8));
            }
            return new HttpResponse.Upgrade(PROTOCOL, (in, out) -> serve(p, in, out));
        });
    }

    /**
     * A call parsed and judged before the connection is upgraded: either the client runs it itself ({@code local}),
     * or the daemon runs {@code parsed} (or prints {@code usageError}) once the streams exist.
     */
    record Prepared(
            Call call,
            CommandLine cl,
            CommandLine.ParseResult parsed,
            CommandLine.ParameterException usageError,
            boolean local) {}

    /**
     * Command trees to reuse, a few per top-level command. Picocli resets every option and parameter to its initial
     * value when it parses, so a tree can serve one call after another (never two at once). Building one costs ~3.5 ms
     * of reflection, and a tree built per call was garbage that often outlived a young collection.
     */
    private static final ConcurrentHashMap<String, ConcurrentLinkedQueue<CommandLine>> TREES =
            new ConcurrentHashMap<>();

    private static final int TREES_PER_BRANCH = 2;

    static CommandLine take(String branch) {
        var q = TREES.get(branch);
        CommandLine cl = q == null ? null : q.poll();
        return cl != null ? cl : VesselCli.tree(branch);
    }

    static void give(String branch, CommandLine cl) {
        var q = TREES.computeIfAbsent(branch, k -> new ConcurrentLinkedQueue<>());
        if (q.size() < TREES_PER_BRANCH) {
            q.offer(cl);
        }
    }

    /** Parses the call on a command tree of its own (given back by {@link #serve}, or here when not relayed). */
    static Prepared prepare(Call call) {
        String branch = VesselCli.branch(call.args());
        CommandLine cl = take(branch);
        var quiet = new CliContext(
                InputStream.nullInputStream(),
                new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()),
                call.env(),
                call.cwd(),
                call.terminal(),
                call.errTerminal());
        return ScopedValue.where(CliContext.CURRENT, quiet).call(() -> {
            try {
                var parsed = cl.parseArgs(call.args());
                boolean local = runsLocally(cl, parsed, call.socket());
                if (local) {
                    give(branch, cl);
                }
                return new Prepared(call, cl, parsed, null, local);
            } catch (CommandLine.ParameterException e) {
                return new Prepared(call, cl, null, e, false); // the usage error is printed the same here
            }
        });
    }

    /** Whether the client must run the call itself: it needs the client's terminal or stdin, or names another daemon. */
    static boolean runsLocally(CommandLine cl, CommandLine.ParseResult parsed, String socket) {
        List<CommandLine> chain = parsed.asCommandLineList();
        if (chain.getLast().getCommand() instanceof LocalCall l && l.runsLocally()) {
            return true;
        }
        return !((VesselCli) cl.getCommand()).endpoint().equals("unix://" + socket);
    }

    static void serve(Prepared p, InputStream in, OutputStream out) throws IOException {
        Call call = p.call();
        var stdout = new PrintStream(
                new BufferedOutputStream(Frames.stream(out, STDOUT), 8192), true, StandardCharsets.UTF_8);
        var stderr = new PrintStream(
                new BufferedOutputStream(Frames.stream(out, STDERR), 8192), true, StandardCharsets.UTF_8);
        var ctx = new CliContext(
                InputStream.nullInputStream(),
                stdout,
                stderr,
                call.env(),
                call.cwd(),
                call.terminal(),
                call.errTerminal());
        // The client sends nothing more: the end of its side is Ctrl-C (or a crash). Interrupting the call closes the
        // daemon connections it reads from (logs -f, events, a task's wait), so it ends instead of writing to nobody.
        var finished = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        Thread.ofVirtual().name("cli-relay-watch").start(() -> {
            try {
                while (in.read() >= 0) {
                    // nothing is expected
                }
            } catch (IOException e) {
                // gone
            }
            if (!finished.get()) {
                caller.interrupt();
            }
        });
        int code;
        try {
            VesselCli.bind(p.cl(), stdout, stderr);
            code = ScopedValue.where(CliContext.CURRENT, ctx)
                    .call(() -> p.usageError() != null
                            ? VesselCli.usageError(p.cl(), p.usageError(), call.args())
                            : VesselCli.execute(p.cl(), p.parsed()));
        } finally {
            finished.set(true);
            stdout.flush();
            stderr.flush();
            give(VesselCli.branch(call.args()), p.cl());
        }
        Thread.interrupted(); // an interrupt that came after the call ended
        Frames.write(out, EXIT, Integer.toString(code).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** For tests: the frames of one answer, as {stream, payload} pairs. */
    static List<Map.Entry<Integer, byte[]>> read(byte[] answer) throws IOException {
        var in = new DataInputStream(new ByteArrayInputStream(answer));
        var frames = new ArrayList<Map.Entry<Integer, byte[]>>();
        for (Frames.Frame f; (f = Frames.read(in)) != null; ) {
            frames.add(Map.entry(f.stream(), f.payload()));
        }
        return frames;
    }
}
