package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Create and start a container. In the foreground it shows the process's output and ends with its exit code.",
            "  vessel run --rm busybox echo hello",
            "  vessel run -it --name box busybox sh          (detach with Ctrl-])",
            "  vessel run -d --name web -m 64M --restart on-failure:3 nginx:alpine"
        })
final class RunCommand extends ApiCommand implements LocalCall {
    @Override
    public boolean runsLocally() {
        return options.interactive || options.tty;
    }

    @Mixin
    ContainerOptions options;

    @Option(
            names = {"-d", "--detach"},
            description = "Start it and print its name; do not attach.")
    boolean detach;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments (default: the image's).")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String name = create(api(), options, image, command, err());
        if (detach) {
            TaskWaiter.await(api(), api().post("/api/v1/instances/" + Api.enc(name) + "/start", null), err(), true);
            out().println(name);
            return ExitCodes.OK;
        }
        // The wait and the attach are both registered before the start; one round trip instead of two.
        Api api = api();
        // with --rm, the run ends once the container is removed, so that its name is free again (as docker run --rm)
        var waiting = inBackground(() -> ContainerSession.waitForEnd(api, name, true, options.autoRemove));
        boolean tty = options.tty && Terminal.isTty();
        var attached = ContainerSession.attach(api, name, options.interactive, false);
        CompletableFuture<JsonNode> end = join(waiting);
        if (tty) {
            Terminal.raw();
        }
        try {
            if (options.interactive) {
                attached.sendInput(CliContext.current().in(), options.tty);
            }
            start(api(), name, end, err());
            if (tty) {
                ContainerSession.followSize(api(), name, attached.output());
            }
            attached.awaitOutput();
        } finally {
            if (tty) {
                Terminal.restore();
            }
        }
        if (attached.detached) {
            err().println("detached from " + name + "; it runs on (vessel container attach " + name + ")");
            return ExitCodes.OK;
        }
        return ContainerSession.exitCode(end.get());
    }

    /**
     * Starts the container and returns once it runs, or once it already ended: a process that ends at once (the start
     * task records the run after the exit) is not kept waiting for the task. A failed start throws the task's error.
     */
    static void start(Api api, String name, CompletableFuture<JsonNode> end, java.io.PrintStream err) {
        JsonNode task = api.post("/api/v1/instances/" + Api.enc(name) + "/start", null);
        var started = inBackground(() -> TaskWaiter.await(api, task, err, true));
        CompletableFuture.anyOf(end, started).exceptionally(e -> null).join();
        JsonNode ended = end.isDone() && !end.isCompletedExceptionally() ? end.join() : null;
        if (!started.isDone()
                && ended != null
                && !"start-failed".equals(ended.path("reason").asText())) {
            return; // it ran and ended
        }
        join(started);
    }

    /** Runs {@code work} on a virtual thread of its own. */
    private static <T> CompletableFuture<T> inBackground(java.util.function.Supplier<T> work) {
        var f = new CompletableFuture<T>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(work.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** The result, or the work's own exception (a CliError keeps its exit code). */
    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Creates the container, pulling its image first when the daemon does not have it; returns its name. */
    static String create(
            Api api, ContainerOptions options, String image, List<String> command, java.io.PrintStream err) {
        JsonNode c;
        try {
            c = api.send("/api/v1/containers", options.request(image, command));
        } catch (CliError e) {
            if (e.exitCode() != ExitCodes.NOT_FOUND || !e.getMessage().contains("pull it first")) {
                throw e;
            }
            err.println("Unable to find image '" + image + "' here");
            PullCommand.pull(api, image, err, false);
            c = api.send("/api/v1/containers", options.request(image, command));
        }
        return c.path("name").asText();
    }
}
