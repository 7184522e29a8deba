package dev.vessel.cli;

import dev.vessel.model.ContainerCreateRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The settings of {@code vessel run} and {@code vessel container create}, in docker run's words. */
final class ContainerOptions {
    @Option(names = "--name", paramLabel = "NAME", description = "Container name (default: generated).")
    String name;

    @Option(
            names = {"-e", "--env"},
            paramLabel = "KEY[=VALUE]",
            description = "Set an environment variable; KEY alone takes it from here. Repeatable.")
    List<String> env = new ArrayList<>();

    @Option(
            names = {"-w", "--workdir"},
            paramLabel = "DIR",
            description = "Working directory inside the container.")
    String workdir;

    @Option(
            names = {"-u", "--user"},
            paramLabel = "USER[:GROUP]",
            description = "Run as this user (name or uid, looked up in the image).")
    String user;

    @Option(
            names = "--hostname",
            paramLabel = "NAME",
            description = "Host name inside the container (default: its name).")
    String hostname;

    @Option(
            names = "--entrypoint",
            paramLabel = "CMD",
            description = "Replace the image's entrypoint (\"\" clears it).")
    String entrypoint;

    @Option(names = "--read-only", description = "Mount the container's root read-only.")
    boolean readOnly;

    @Option(names = "--tmpfs", paramLabel = "PATH[:OPTS]", description = "A tmpfs, e.g. /run:size=64m. Repeatable.")
    List<String> tmpfs = new ArrayList<>();

    @Option(
            names = {"-v", "--volume"},
            paramLabel = "SRC:DST[:ro]",
            description = "Bind a host path or a named volume. Repeatable.")
    List<String> volumes = new ArrayList<>();

    @Option(
            names = {"-m", "--memory"},
            paramLabel = "SIZE",
            description = "Memory limit, e.g. 64M.")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit as a number of CPUs, e.g. 0.5.")
    Double cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "At most N processes.")
    Long pidsLimit;

    @Option(names = "--restart", paramLabel = "POLICY", description = "no, on-failure[:N], always or unless-stopped.")
    String restart;

    @Option(
            names = {"--network", "--net"},
            paramLabel = "NET",
            description = "none (loopback only), host, or a managed network (default: the default network).")
    String network;

    @Option(
            names = {"-p", "--publish"},
            paramLabel = "[HOST_IP:]HOST_PORT:PORT[/PROTO]",
            description = "Publish a port of the container on the host (tcp by default, or udp). Repeatable.")
    List<String> ports = new ArrayList<>();

    @Option(
            names = {"-t", "--tty"},
            description = "Give the process a terminal.")
    boolean tty;

    @Option(
            names = {"-i", "--interactive"},
            description = "Keep stdin open and send it to the process.")
    boolean interactive;

    @Option(names = "--rm", description = "Remove the container when its process ends.")
    boolean autoRemove;

    @Option(
            names = "--stop-timeout",
            paramLabel = "SECONDS",
            description = "How long stop waits before SIGKILL (default 10).")
    Integer stopTimeout;

    @Option(
            names = "--stop-signal",
            paramLabel = "SIGNAL",
            description = "Signal that asks the process to stop (default: the image's, else SIGTERM).")
    String stopSignal;

    @Option(
            names = "--security-opt",
            paramLabel = "OPT",
            description = "no-new-privileges: the process can never gain privileges (setuid, file capabilities).")
    List<String> securityOpt = new ArrayList<>();

    @Option(
            names = "--userns",
            paramLabel = "MODE",
            description = "host (default: the host's user namespace) or auto (one of its own: root inside is an"
                    + " unprivileged host id, from a range of 65536 the daemon gives it).")
    String userns;

    @Option(
            names = {"-l", "--label"},
            paramLabel = "KEY[=VALUE]",
            description = "Set a label on the container (kept verbatim, shown by inspect). Repeatable.")
    List<String> labels = new ArrayList<>();

    /** The create request these options make, for {@code image} and {@code command} (null or empty: the image's). */
    ContainerCreateRequest request(String image, List<String> command) {
        List<String> envs = null;
        if (!env.isEmpty()) {
            envs = new ArrayList<>();
            for (String kv : env) {
                if (kv.indexOf('=') < 0) {
                    // -e VAR takes the value from the client's environment, as docker run does; unset means left out
                    String v = CliContext.current().env(kv);
                    if (v != null) {
                        envs.add(kv + "=" + v);
                    }
                } else {
                    envs.add(kv);
                }
            }
        }
        return new ContainerCreateRequest(
                name,
                image,
                entrypoint == null ? null : entrypoint.isEmpty() ? List.of() : List.of(entrypoint),
                command == null || command.isEmpty() ? null : List.copyOf(command),
                envs,
                workdir,
                user,
                hostname,
                readOnly ? true : null,
                tmpfs.isEmpty() ? null : List.copyOf(tmpfs),
                volumes.isEmpty() ? null : List.copyOf(volumes),
                memory,
                cpus,
                pidsLimit,
                restart,
                network,
                tty ? true : null,
                interactive ? true : null,
                autoRemove ? true : null,
                stopTimeout,
                stopSignal,
                ports.isEmpty() ? null : List.copyOf(ports),
                securityOpt.isEmpty() ? null : List.copyOf(securityOpt),
                userns,
                labels());
    }

    /** {@code KEY=VALUE} as docker run reads it: a key alone has an empty value. */
    private java.util.Map<String, String> labels() {
        if (labels.isEmpty()) {
            return null;
        }
        var m = new java.util.LinkedHashMap<String, String>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            m.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        return m;
    }
}
