package dev.vessel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The settings of {@code vessel run} and {@code vessel container create}, in docker run's words. */
final class ContainerOptions {
    @Option(names = "--name", paramLabel = "NAME", description = "Container name (default: generated).")
    String name;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY[=VALUE]", description = "Set an environment variable; KEY alone takes it from here. Repeatable.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "Run as this user (name or uid, looked up in the image).")
    String user;

    @Option(names = "--hostname", paramLabel = "NAME", description = "Host name inside the container (default: its name).")
    String hostname;

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Replace the image's entrypoint (\"\" clears it).")
    String entrypoint;

    @Option(names = "--read-only", description = "Mount the container's root read-only.")
    boolean readOnly;

    @Option(names = "--tmpfs", paramLabel = "PATH[:OPTS]", description = "A tmpfs, e.g. /run:size=64m. Repeatable.")
    List<String> tmpfs = new ArrayList<>();

    @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DST[:ro]", description = "Bind a host path or a named volume. Repeatable.")
    List<String> volumes = new ArrayList<>();

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", description = "Memory limit, e.g. 64M.")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit as a number of CPUs, e.g. 0.5.")
    Double cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "At most N processes.")
    Long pidsLimit;

    @Option(names = "--restart", paramLabel = "POLICY", description = "no, on-failure[:N], always or unless-stopped.")
    String restart;

    @Option(names = {"--network", "--net"}, paramLabel = "NET", description = "none (loopback only), host, or a managed network (default: the default network).")
    String network;

    @Option(names = {"-p", "--publish"}, paramLabel = "[HOST_IP:]HOST_PORT:PORT[/PROTO]",
            description = "Publish a port of the container on the host (tcp by default, or udp). Repeatable.")
    List<String> ports = new ArrayList<>();

    @Option(names = {"-t", "--tty"}, description = "Give the process a terminal.")
    boolean tty;

    @Option(names = {"-i", "--interactive"}, description = "Keep stdin open and send it to the process.")
    boolean interactive;

    @Option(names = "--rm", description = "Remove the container when its process ends.")
    boolean autoRemove;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", description = "How long stop waits before SIGKILL (default 10).")
    Integer stopTimeout;

    @Option(names = "--stop-signal", paramLabel = "SIGNAL", description = "Signal that asks the process to stop (default: the image's, else SIGTERM).")
    String stopSignal;

    ObjectNode body(String image, List<String> command) {
        var b = Api.object();
        Cmds.put(b, "name", name);
        b.put("image", image);
        if (entrypoint != null) {
            ArrayNode ep = b.putArray("entrypoint");
            if (!entrypoint.isEmpty()) {
                ep.add(entrypoint);
            }
        }
        if (command != null && !command.isEmpty()) {
            ArrayNode c = b.putArray("command");
            command.forEach(c::add);
        }
        if (!env.isEmpty()) {
            ArrayNode e = b.putArray("env");
            for (String kv : env) {
                if (kv.indexOf('=') < 0) {
                    String v = CliContext.current().env(kv);
                    if (v != null) {
                        e.add(kv + "=" + v);
                    }
                } else {
                    e.add(kv);
                }
            }
        }
        Cmds.put(b, "workdir", workdir);
        Cmds.put(b, "user", user);
        Cmds.put(b, "hostname", hostname);
        if (readOnly) {
            b.put("readOnly", true);
        }
        if (!tmpfs.isEmpty()) {
            tmpfs.forEach(b.putArray("tmpfs")::add);
        }
        if (!volumes.isEmpty()) {
            volumes.forEach(b.putArray("volumes")::add);
        }
        Cmds.put(b, "memory", memory);
        if (cpus != null) {
            b.put("cpus", cpus);
        }
        if (pidsLimit != null) {
            b.put("pidsLimit", pidsLimit);
        }
        Cmds.put(b, "restart", restart);
        Cmds.put(b, "network", network);
        if (tty) {
            b.put("tty", true);
        }
        if (interactive) {
            b.put("interactive", true);
        }
        if (autoRemove) {
            b.put("autoRemove", true);
        }
        if (stopTimeout != null) {
            b.put("stopTimeout", stopTimeout);
        }
        Cmds.put(b, "stopSignal", stopSignal);
        if (!ports.isEmpty()) {
            ports.forEach(b.putArray("ports")::add);
        }
        return b;
    }
}
