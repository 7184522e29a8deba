package dev.vessel.engine.config;

import dev.vessel.core.error.VesselException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's settings, validated once at start-up and immutable afterwards. Each comes from a command-line flag or
 * a {@code VESSEL_*} environment variable; an error names the setting.
 *
 * @param tcpListen null when the TCP listener is off
 * @param tls the TCP listener's keystore and the file with its password (tls-keystore, tls-password-file); null for
 *     the node's own certificate (made at first start). The password is read from the file, never taken from a flag,
 *     so it stays off command lines.
 * @param tcpPlain plain HTTP on the TCP listener (tcp-plain=true): off unless asked for, since tickets, tokens and
 *     passwords would cross the network in clear
 * @param autoBalloon    the automatic balloon policy (balloon-policy=auto) returns idle guests' memory when the host runs short
 * @param defaultNetwork the subnet of the network "default", made on the first start, that VMs join unless told
 *     otherwise; null for none
 * @param containers registry and writable-layer settings for containers
 * @param reservedPorts ports a port forward may never take (see ReservedPort)
 * @param cacheDir       what can be made again: downloaded packages, the tiny guest's build (host-wide by default)
 * @param tcpNamespace   the network namespace the TCP listener binds in (tcp-netns); empty for the daemon's own
 * @param downloads      the network namespace that package downloads go out from (download-netns: "host" for the
 *     host's, PID 1's; "self" for the daemon's own; or a namespace file such as /run/netns/NAME)
 * @param tpmLogLevel    the log level of each VM's swtpm (tpm-log-level): 1 logs its errors, 20 every TPM command
 * @param dockerSocket   where the Docker Engine API listens (docker-socket; root only, as dockerd's); empty when
 *     docker-socket=off
 */
public record DaemonConfig(
        Path dataDir,
        Path runDir,
        Path socket,
        InetSocketAddress tcpListen,
        String runtime,
        String qemu,
        int defaultStopTimeoutSeconds,
        String defaultNetwork,
        java.util.List<ReservedPort> reservedPorts,
        ContainerSettings containers,
        boolean autoBalloon,
        Path cacheDir,
        dev.vessel.host.DownloadNetwork downloads,
        Tls tls,
        boolean tcpPlain,
        java.util.Optional<Path> tcpNamespace,
        int tpmLogLevel,
        java.util.Optional<Path> dockerSocket) {

    /** A PKCS#12 keystore for the TCP listener and the file that holds its password. */
    public record Tls(Path keystore, Path passwordFile) {
        /** The password, read now (a trailing newline is not part of it). */
        public String password() {
            try {
                return Files.readString(passwordFile).strip();
            } catch (java.io.IOException e) {
                throw VesselException.invalid(
                        "tls-password-file", "cannot read " + passwordFile + ": " + e.getMessage());
            }
        }
    }

    /** Setting names and defaults; the keys are also the flag names (--data-dir) and env names (VESSEL_DATA_DIR). */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        var m = new LinkedHashMap<String, String>();
        m.put("data-dir", "/var/lib/vessel");
        m.put("run-dir", "/run/vessel");
        m.put("socket", "");
        m.put("tcp-listen", "");
        m.put("tls-keystore", "");
        m.put("tls-password-file", "");
        m.put("tcp-plain", "false");
        m.put("tcp-netns", "self");
        m.put("runtime", "/usr/sbin/runc");
        m.put("qemu", "/usr/bin/qemu-system-x86_64");
        m.put("stop-timeout", "60");
        m.put("default-network", "10.88.0.0/16");
        m.put("reserved-ports", "22/tcp");
        m.put("balloon-policy", "off");
        m.put("cache-dir", "/var/cache/vessel");
        m.put("download-netns", "host");
        m.put("tpm-log-level", "1");
        m.put("docker-socket", "");
        ContainerSettings.defaults(m);
        return m;
    }

    public static String envName(String key) {
        return "VESSEL_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /** Builds the config from flags (highest precedence), then the environment, then the defaults. */
    public static DaemonConfig from(Map<String, String> flags, Map<String, String> env) {
        for (String k : flags.keySet()) {
            if (!DEFAULTS.containsKey(k)) {
                throw VesselException.invalid(
                        k, "unknown setting; known settings: " + String.join(", ", DEFAULTS.keySet()));
            }
        }
        var s = new LinkedHashMap<String, String>();
        DEFAULTS.forEach((k, v) -> s.put(k, flags.getOrDefault(k, env.getOrDefault(envName(k), v))));
        Path data = absoluteDir("data-dir", s.get("data-dir"));
        Path run = absoluteDir("run-dir", s.get("run-dir"));
        Path socket = s.get("socket").isEmpty() ? run.resolve("vessel.sock") : absolute("socket", s.get("socket"));
        if (socket.toString().length() > 100) {
            throw VesselException.invalid(
                    "socket", "'" + socket + "' is longer than a unix socket path may be (100 characters)");
        }
        if (run.resolve("vm/0123456789ab/console.sock").toString().length() > 100) {
            throw VesselException.invalid(
                    "run-dir", "'" + run + "' is too long for the VM sockets under it (keep it under 60 characters)");
        }
        InetSocketAddress tcp = s.get("tcp-listen").isEmpty() ? null : hostPort("tcp-listen", s.get("tcp-listen"));
        String runtime = executable("runtime", s.get("runtime"));
        String qemu = executable("qemu", s.get("qemu"));
        int stop;
        try {
            stop = Integer.parseInt(s.get("stop-timeout"));
        } catch (NumberFormatException e) {
            throw VesselException.invalid("stop-timeout", "'" + s.get("stop-timeout") + "' is not a number of seconds");
        }
        if (stop < 0 || stop > 3600) {
            throw VesselException.invalid("stop-timeout", stop + " is outside 0..3600 seconds");
        }
        String defaultNet = s.get("default-network").strip();
        if (defaultNet.equals("none")) {
            defaultNet = null;
        } else {
            defaultNet = dev.vessel.net.Cidr.parseSubnet("default-network", defaultNet)
                    .toString();
        }
        java.util.List<ReservedPort> reserved;
        try {
            reserved = ReservedPort.parse(s.get("reserved-ports"));
        } catch (VesselException e) {
            throw VesselException.invalid("reserved-ports", "'" + s.get("reserved-ports") + "': " + e.getMessage());
        }
        String balloon = s.get("balloon-policy").strip();
        if (!balloon.equals("off") && !balloon.equals("auto")) {
            throw VesselException.invalid("balloon-policy", "'" + balloon + "' is neither off nor auto");
        }
        Path cache = absoluteDir("cache-dir", s.get("cache-dir"));
        return new DaemonConfig(
                data,
                run,
                socket,
                tcp,
                runtime,
                qemu,
                stop,
                defaultNet,
                reserved,
                ContainerSettings.from(s),
                balloon.equals("auto"),
                cache,
                downloadNetwork(s.get("download-netns").strip()),
                tls(s, tcp),
                plain(s, tcp),
                tcpNamespace(s.get("tcp-netns").strip(), tcp),
                tpmLogLevel(s.get("tpm-log-level").strip()),
                dockerSocket(s.get("docker-socket").strip(), run, socket));
    }

    private static java.util.Optional<Path> dockerSocket(String v, Path run, Path socket) {
        if (v.equals("off")) {
            return java.util.Optional.empty();
        }
        Path p = v.isEmpty() ? run.resolve("docker.sock") : absolute("docker-socket", v);
        if (p.toString().length() > 100) {
            throw VesselException.invalid(
                    "docker-socket", "'" + p + "' is longer than a unix socket path may be (100 characters)");
        }
        if (p.equals(socket)) {
            throw VesselException.invalid("docker-socket", "'" + p + "' is the API's own socket");
        }
        return java.util.Optional.of(p);
    }

    private static int tpmLogLevel(String v) {
        try {
            int level = Integer.parseInt(v);
            if (level >= 0 && level <= 20) {
                return level;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw VesselException.invalid("tpm-log-level", "'" + v + "' is not a swtpm log level (0..20)");
    }

    /**
     * The network namespace the TCP listener binds in (tcp-netns): "self", the daemon's own (the default); "host",
     * the host's, found as download-netns finds it; or a namespace file. A daemon in a namespace of its own can so
     * take connections on the host's loopback without any route between the two.
     */
    private static java.util.Optional<Path> tcpNamespace(String value, InetSocketAddress tcp) {
        if (value.equals("self")) {
            return java.util.Optional.empty();
        }
        if (tcp == null) {
            throw VesselException.invalid("tcp-netns", "is for the TCP listener; set tcp-listen too");
        }
        if (!value.equals("host")) {
            Path ns = absolute("tcp-netns", value);
            if (!Files.exists(ns)) {
                throw VesselException.invalid(
                        "tcp-netns", "'" + value + "' is neither host, self nor an existing network namespace file");
            }
        }
        return dev.vessel.host.DownloadNetwork.of(value).namespace();
    }

    private static boolean plain(Map<String, String> s, InetSocketAddress tcp) {
        String v = s.get("tcp-plain").strip();
        if (!v.equals("true") && !v.equals("false")) {
            throw VesselException.invalid("tcp-plain", "'" + v + "' is neither true nor false");
        }
        if (v.equals("true") && !s.get("tls-keystore").isBlank()) {
            throw VesselException.invalid("tcp-plain", "plain HTTP and tls-keystore exclude each other");
        }
        if (v.equals("true") && tcp == null) {
            throw VesselException.invalid("tcp-plain", "is for the TCP listener; set tcp-listen too");
        }
        return v.equals("true");
    }

    private static Tls tls(Map<String, String> s, InetSocketAddress tcp) {
        String keystore = s.get("tls-keystore").strip();
        String password = s.get("tls-password-file").strip();
        if (keystore.isEmpty()) {
            if (!password.isEmpty()) {
                throw VesselException.invalid("tls-password-file", "is set but tls-keystore is not");
            }
            return null;
        }
        if (tcp == null) {
            throw VesselException.invalid("tls-keystore", "TLS is for the TCP listener; set tcp-listen too");
        }
        if (password.isEmpty()) {
            throw VesselException.invalid("tls-password-file", "tls-keystore needs the file that holds its password");
        }
        var tls = new Tls(absolute("tls-keystore", keystore), absolute("tls-password-file", password));
        if (!Files.isReadable(tls.keystore())) {
            throw VesselException.invalid("tls-keystore", "'" + tls.keystore() + "' is not a readable file");
        }
        tls.password();
        return tls;
    }

    private static dev.vessel.host.DownloadNetwork downloadNetwork(String value) {
        if (!value.equals("host") && !value.equals("self")) {
            Path ns = absolute("download-netns", value);
            if (!Files.exists(ns)) {
                throw VesselException.invalid(
                        "download-netns",
                        "'" + value + "' is neither host, self nor an existing network namespace file");
            }
        }
        return dev.vessel.host.DownloadNetwork.of(value);
    }

    private static Path absolute(String key, String value) {
        if (value.indexOf(',') >= 0 || value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0) {
            throw VesselException.invalid(key, "'" + value + "' must not contain commas, newlines or NUL");
        }
        Path p = Path.of(value);
        if (!p.isAbsolute()) {
            throw VesselException.invalid(key, "'" + value + "' must be an absolute path");
        }
        return p.normalize();
    }

    private static Path absoluteDir(String key, String value) {
        Path p = absolute(key, value);
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw VesselException.invalid(key, "'" + value + "' exists and is not a directory");
        }
        return p;
    }

    private static String executable(String key, String value) {
        Path p = absolute(key, value);
        if (!Files.isExecutable(p)) {
            throw VesselException.invalid(
                    key,
                    "'" + value + "' is not an executable file (install it, or point " + envName(key) + " at one)");
        }
        return p.toString();
    }

    private static InetSocketAddress hostPort(String key, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw VesselException.invalid(key, "'" + value + "' is not HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw VesselException.invalid(key, "'" + value + "' has no numeric port");
        }
        if (port < 0 || port > 65535) {
            throw VesselException.invalid(key, port + " is not a TCP port");
        }
        String host = value.substring(0, colon).replaceAll("^\\[|\\]$", "");
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw VesselException.invalid(key, "'" + host + "' is not an address");
        }
    }

    public Path instancesDir() {
        return dataDir.resolve("instances");
    }

    public Path imagesDir() {
        return dataDir.resolve("images");
    }

    public Path database() {
        return dataDir.resolve("vessel.db");
    }

    public Path tokenFile() {
        return dataDir.resolve("api-token");
    }

    /** Managed networks' state: each network's dnsmasq files, the saved ip_forward setting. */
    public Path networkDir() {
        return dataDir.resolve("net");
    }

    public Path runtimeRoot() {
        return runDir.resolve("runc");
    }

    public Path vmRunDir(String id) {
        return runDir.resolve("vm").resolve(id);
    }

    public static final Set<String> KEYS = DEFAULTS.keySet();
}
