package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vessel inspect}: the full picture of an instance, including the exact QEMU command line. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show an instance in detail (VM or container).")
class InspectCommand extends ApiCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    public Integer call() {
        for (String n : names) {
            JsonNode i = api().get("/api/v1/instances/" + Api.enc(n));
            if (json()) {
                Output.json(out(), i);
            } else {
                summary(out(), i, guestMemory(i));
            }
        }
        return ExitCodes.OK;
    }

    static void summary(PrintStream out, JsonNode i) {
        summary(out, i, null);
    }

    /** @param guest the VM's memory from its latest stats sample (the guest's own view), or null */
    static void summary(PrintStream out, JsonNode i, JsonNode guest) {
        JsonNode st = i.path("state");
        JsonNode rt = i.path("runtime");
        JsonNode mem = i.path("memory");
        JsonNode spec = i.path("spec");
        line(out, "Name", i.path("name").asText());
        line(out, "Id", i.path("id").asText());
        line(out, "Kind", i.path("kind").asText());
        line(out, "State", st.path("status").asText() + " since " + st.path("since").asText()
                + (st.has("reason") && !st.path("reason").isNull() ? " (" + st.path("reason").asText() + ")" : ""));
        if (st.hasNonNull("detail")) {
            line(out, "Reason", st.path("detail").asText());
        }
        line(out, "Image", Output.text(i.path("image")));
        if (spec.has("cpus")) {
            line(out, "CPUs", cpus(i));
        }
        for (JsonNode n : i.path("networks")) {
            String lease = NetworkOptions.leaseState(n);
            line(out, "Network", "nic" + n.path("index").asText() + " " + n.path("network").asText() + " " + Output.text(n.path("ip"))
                    + " (MAC " + Output.text(n.path("mac")) + ")" + (lease.isEmpty() ? "" : ", " + lease));
        }
        if ("container".equals(i.path("kind").asText())) {
            ContainerStates.inspect(out, i);
        }
        line(out, "Memory", "configured " + Output.bytes(mem.path("configured").asLong(-1))
                + ("container".equals(i.path("kind").asText()) ? ", processes' RSS " : ", QEMU RSS ") + Output.bytes(mem.path("processRss").asLong(-1))
                + ", cgroup " + Output.bytes(mem.path("cgroupUsage").asLong(-1)) + " of " + Output.bytes(mem.path("cgroupLimit").asLong(-1)));
        if (guest != null && guest.path("guestTotal").asLong(-1) > 0) {
            JsonNode g = guest;
            line(out, "Guest mem", Output.bytes(g.path("guestUsed").asLong(-1)) + " used of " + Output.bytes(g.path("guestTotal").asLong())
                    + " as the guest sees it (available " + Output.bytes(g.path("guestAvailable").asLong(-1)) + ", page cache "
                    + Output.bytes(g.path("guestCache").asLong(-1)) + "; balloon leaves it " + Output.bytes(g.path("balloon").asLong(-1))
                    + (g.path("target").asLong(-1) > 0 ? ", target " + Output.bytes(g.path("target").asLong()) : "") + ")");
        }
        if (!rt.isMissingNode() && !rt.isNull()) {
            line(out, "Pid", rt.path("pid").asText());
            line(out, "Container", rt.path("containerId").asText());
            if (rt.hasNonNull("accel")) {
                line(out, "Accel", rt.path("accel").asText() + " (" + rt.path("accelReason").asText() + ")");
            }
            if (rt.path("command").size() > 0) {
                var sb = new StringBuilder();
                for (JsonNode a : rt.path("command")) {
                    String s = a.asText();
                    sb.append(sb.isEmpty() ? "" : " ").append(s.matches("[A-Za-z0-9_./=,:@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'");
                }
                line(out, "Command", sb.toString());
            }
        } else if (spec.has("accel")) {
            line(out, "Accel", spec.path("accel").asText() + " (requested)");
        }
    }

    /** A running VM's memory as its guest sees it, from the stats; null for anything else or when there is none. */
    JsonNode guestMemory(JsonNode i) {
        if (!"vm".equals(i.path("kind").asText()) || !"running".equals(i.path("status").asText())) {
            return null;
        }
        try {
            return api().get("/api/v1/instances/" + Api.enc(i.path("name").asText()) + "/stats").path("memory");
        } catch (CliError e) {
            return null;
        }
    }

    /** A VM's vCPUs; a container's CPU limit, where 0 means none ("no limit", not "0.0"). */
    static String cpus(JsonNode i) {
        JsonNode c = i.path("spec").path("cpus");
        if (!"container".equals(i.path("kind").asText())) {
            return c.asText();
        }
        double v = c.asDouble(0);
        return v <= 0 ? "no limit" : (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
    }

    static void line(PrintStream out, String k, String v) {
        out.printf("%-10s %s%n", k + ":", v);
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show a VM in detail, with its exact QEMU command line.")
    static final class VmInspect extends InspectCommand {}
}
