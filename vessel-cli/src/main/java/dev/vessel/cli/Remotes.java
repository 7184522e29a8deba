package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The remote daemons this user has added ({@code vessel remote add}), in {@code remotes.json} under
 * {@code $VESSEL_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/vessel}, else {@code ~/.config/vessel}: each one's URL, the
 * CA its certificate was trusted by, and the API token to call it with. The file holds tokens, so it is the user's only
 * (0600).
 */
final class Remotes {
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,62}");

    /** One remote. The token never shows in toString. */
    record Remote(String name, String url, String caPem, String fingerprint, String token) {
        @Override
        public String toString() {
            return "Remote[" + name + " " + url + "]";
        }
    }

    private Remotes() {}

    static Path file() {
        return dir().resolve("remotes.json");
    }

    /** This client's certificate, made on first use beside the remotes. */
    static dev.vessel.access.tls.ClientIdentity identity() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "vessel-cli";
        }
        String user = CliContext.current().env("USER");
        return dev.vessel.access.tls.ClientIdentity.loadOrCreate(dir(), (user == null ? "" : user + "@") + host);
    }

    /** The CLI's config directory: VESSEL_CONFIG_DIR, else $XDG_CONFIG_HOME/vessel, else ~/.config/vessel. */
    static Path dir() {
        var ctx = CliContext.current();
        String dir = ctx.env("VESSEL_CONFIG_DIR");
        if (dir == null || dir.isEmpty()) {
            String xdg = ctx.env("XDG_CONFIG_HOME");
            String home = ctx.env("HOME");
            if (xdg != null && !xdg.isEmpty()) {
                dir = xdg + "/vessel";
            } else if (home != null && !home.isEmpty()) {
                dir = home + "/.config/vessel";
            } else {
                throw new CliError(
                        ExitCodes.USAGE, "neither HOME nor VESSEL_CONFIG_DIR is set: nowhere to keep remotes");
            }
        }
        return Path.of(dir);
    }

    static Map<String, Remote> all() {
        Path f = file();
        var out = new LinkedHashMap<String, Remote>();
        if (!Files.exists(f)) {
            return out;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(f));
        } catch (IOException e) {
            throw new CliError(ExitCodes.FAILED, "cannot read " + f + ": " + e.getMessage());
        }
        root.path("remotes").properties().forEach(e -> {
            JsonNode r = e.getValue();
            out.put(
                    e.getKey(),
                    new Remote(
                            e.getKey(),
                            r.path("url").asText(),
                            r.path("ca").asText(),
                            r.path("fingerprint").asText(),
                            r.path("token").asText(null)));
        });
        return out;
    }

    static Remote get(String name) {
        Remote r = all().get(name);
        if (r == null) {
            throw new CliError(
                    ExitCodes.USAGE,
                    "no remote '" + name + "' (endpoints are unix:///path, https://host:port, or a name added with"
                            + " `vessel remote add`)");
        }
        return r;
    }

    static void save(Map<String, Remote> remotes) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode rs = root.putObject("remotes");
        remotes.values().forEach(r -> {
            ObjectNode n = rs.putObject(r.name());
            n.put("url", r.url());
            n.put("fingerprint", r.fingerprint());
            n.put("ca", r.caPem());
            if (r.token() != null) {
                n.put("token", r.token());
            }
        });
        Path f = file();
        try {
            Files.createDirectories(f.getParent());
        } catch (IOException e) {
            throw new CliError(ExitCodes.FAILED, "cannot make " + f.getParent() + ": " + e.getMessage());
        }
        AtomicFiles.writePrivate(f, Json.pretty(root) + "\n");
    }
}
