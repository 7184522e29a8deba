package dev.vessel.qemu.qga;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.GuestInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** What Vessel asks of a guest agent: who the guest is, running a command in it, and freezing its file systems. */
public final class GuestCommands {
    static final Duration CALL = Duration.ofSeconds(5);
    private static final Duration EXEC_POLL = Duration.ofMillis(50);

    private GuestCommands() {}

    /** The guest's OS, host name, addresses and users; a command the agent lacks leaves its part empty. */
    public static GuestInfo info(GuestAgent agent) {
        JsonNode os = optional(agent, "guest-get-osinfo");
        JsonNode host = optional(agent, "guest-get-host-name");
        var interfaces = new ArrayList<GuestInfo.Interface>();
        for (JsonNode i : optional(agent, "guest-network-get-interfaces")) {
            var addresses = new ArrayList<String>();
            for (JsonNode a : i.path("ip-addresses")) {
                addresses.add(
                        a.path("ip-address").asText() + "/" + a.path("prefix").asInt());
            }
            interfaces.add(new GuestInfo.Interface(
                    i.path("name").asText(), text(i.path("hardware-address")), List.copyOf(addresses)));
        }
        var users = new ArrayList<String>();
        for (JsonNode u : optional(agent, "guest-get-users")) {
            users.add(u.path("user").asText());
        }
        return new GuestInfo(
                true,
                new GuestInfo.Os(
                        text(os.path("id")),
                        text(os.path("pretty-name")) != null ? text(os.path("pretty-name")) : text(os.path("name")),
                        text(os.path("version")),
                        text(os.path("kernel-release"))),
                text(host.path("host-name")),
                List.copyOf(interfaces),
                List.copyOf(users));
    }

    private static JsonNode optional(GuestAgent agent, String command) {
        try {
            return agent.execute(command, CALL);
        } catch (VesselException e) {
            if (e.getMessage().startsWith("guest agent not responding")) {
                throw e;
            }
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    /** The end of a command run by guest-exec. */
    public record Exited(int exitCode, byte[] stdout, byte[] stderr, boolean truncated) {}

    /** Runs {@code argv} in the guest (no shell), feeding it {@code input}, and waits for it up to {@code timeout}. */
    public static Exited exec(GuestAgent agent, List<String> argv, byte[] input, Duration timeout) {
        var args = new java.util.LinkedHashMap<String, Object>();
        args.put("path", argv.getFirst());
        args.put("arg", argv.subList(1, argv.size()));
        args.put("capture-output", true);
        if (input != null && input.length > 0) {
            args.put("input-data", Base64.getEncoder().encodeToString(input));
        }
        long pid = agent.execute("guest-exec", args, CALL).path("pid").asLong();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode st = agent.execute("guest-exec-status", Map.of("pid", pid), CALL);
            if (st.path("exited").asBoolean(false)) {
                int code = st.has("exitcode")
                        ? st.path("exitcode").asInt()
                        : 128 + st.path("signal").asInt();
                return new Exited(
                        code,
                        decode(st.path("out-data")),
                        decode(st.path("err-data")),
                        st.path("out-truncated").asBoolean(false)
                                || st.path("err-truncated").asBoolean(false));
            }
            if (System.nanoTime() > deadline) {
                throw VesselException.timeout("'" + argv.getFirst() + "' (guest pid " + pid + ") still runs after "
                        + timeout.toSeconds() + " s; it keeps running in the guest");
            }
            try {
                Thread.sleep(EXEC_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw VesselException.state("interrupted");
            }
        }
    }

    private static byte[] decode(JsonNode b64) {
        return b64.isMissingNode() || b64.isNull()
                ? new byte[0]
                : Base64.getDecoder().decode(b64.asText());
    }

    /** Freezes every file system the agent can freeze; returns how many it froze. */
    public static int freeze(GuestAgent agent) {
        return agent.execute("guest-fsfreeze-freeze", Duration.ofSeconds(30)).asInt();
    }

    /** Thaws them again; returns how many it thawed. */
    public static int thaw(GuestAgent agent) {
        return agent.execute("guest-fsfreeze-thaw", Duration.ofSeconds(30)).asInt();
    }

    /** {@code thawed} or {@code frozen}. */
    public static String freezeStatus(GuestAgent agent) {
        return agent.execute("guest-fsfreeze-status", CALL).asText();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
