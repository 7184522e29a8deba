package dev.vessel.daemon;

import dev.vessel.core.error.VesselException;
import dev.vessel.engine.config.DaemonConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code vessel daemon [--setting value ...]}: validates the configuration, then runs until SIGTERM or SIGINT. */
public final class DaemonMain {
    private DaemonMain() {}

    public static void main(String[] args) {
        int rc = run(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    public static int run(String[] args) {
        return run(args, java.util.List.of());
    }

    /** @param extra services beside the API's own (see {@link VesselDaemon#VesselDaemon(DaemonConfig, java.util.List)}) */
    public static int run(String[] args, java.util.List<dev.vessel.http.HttpService> extra) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                usage();
                return 0;
            }
            if (!a.startsWith("--")) {
                System.err.println("vessel daemon: unexpected argument '" + a + "'");
                usage();
                return 2;
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                System.err.println("vessel daemon: --" + key + " needs a value");
                return 2;
            }
            flags.put(key, value);
        }
        DaemonConfig config;
        try {
            config = DaemonConfig.from(flags, System.getenv());
        } catch (VesselException e) {
            System.err.println("vessel daemon: invalid configuration: " + e.getMessage());
            return 2;
        }
        var done = new CountDownLatch(1);
        VesselDaemon daemon;
        try {
            daemon = new VesselDaemon(config, extra);
        } catch (VesselException e) {
            System.err.println("vessel daemon: cannot start: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            // Workloads keep running: only the API and the store close.
                            daemon.close();
                            done.countDown();
                        },
                        "vessel-shutdown"));
        System.err.println("vessel daemon: ready on " + config.socket());
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void usage() {
        System.err.println("Usage: vessel daemon [--SETTING VALUE]...");
        System.err.println("Settings (flag, environment variable, default):");
        DaemonConfig.DEFAULTS.forEach((k, v) -> System.err.printf(
                "  --%-14s %-22s %s%n", k, DaemonConfig.envName(k), v.isEmpty() ? "(off/derived)" : v));
    }
}
