package dev.vessel.container;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.image.oci.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The container's process, from the image's config with the user's overrides on top, as {@code docker run} combines
 * them: an entrypoint given replaces the image's and drops its Cmd; a command given replaces the Cmd; environment
 * entries replace the image's by name; PATH, HOSTNAME, HOME (and TERM with a terminal) are set when missing.
 */
public record ProcessSettings(List<String> args, List<String> env, String cwd, String user, String stopSignal) {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static ProcessSettings of(ImageConfig image, ContainerSpec spec, String hostname) {
        List<String> entrypoint = spec.entrypoint() != null ? spec.entrypoint() : image.entrypoint();
        List<String> cmd =
                !spec.command().isEmpty() ? spec.command() : spec.entrypoint() != null ? List.of() : image.cmd();
        var args = new ArrayList<String>(entrypoint);
        args.addAll(cmd);
        if (args.isEmpty()) {
            throw VesselException.invalid("command", "the image sets no Entrypoint or Cmd: give a command");
        }
        var env = new LinkedHashMap<String, String>();
        for (String e : image.env()) {
            put(env, e);
        }
        for (String e : spec.env()) {
            put(env, e);
        }
        env.putIfAbsent("PATH", DEFAULT_PATH);
        env.put("HOSTNAME", hostname);
        if (spec.tty()) {
            env.putIfAbsent("TERM", "xterm");
        }
        var list = new ArrayList<String>();
        env.forEach((k, v) -> list.add(k + "=" + v));
        String cwd = spec.workdir() != null
                ? spec.workdir()
                : image.workingDir() == null || image.workingDir().isEmpty() ? "/" : image.workingDir();
        if (!cwd.startsWith("/")) {
            cwd = "/" + cwd;
        }
        String user = spec.user() != null
                ? spec.user()
                : image.user() == null || image.user().isEmpty() ? null : image.user();
        String stop = spec.stopSignal() != null
                ? spec.stopSignal()
                : image.stopSignal() == null || image.stopSignal().isEmpty() ? "TERM" : image.stopSignal();
        return new ProcessSettings(List.copyOf(args), List.copyOf(list), cwd, user, Signals.parse("stopSignal", stop));
    }

    /** HOME from the user's passwd entry when the image and the user set none. */
    public ProcessSettings withHome(String home) {
        if (env.stream().anyMatch(e -> e.startsWith("HOME="))) {
            return this;
        }
        var e = new ArrayList<>(env);
        e.add("HOME=" + home);
        return new ProcessSettings(args, List.copyOf(e), cwd, user, stopSignal);
    }

    private static void put(LinkedHashMap<String, String> env, String entry) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            return; // "KEY" alone means "unset" in images; nothing to pass
        }
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
}
