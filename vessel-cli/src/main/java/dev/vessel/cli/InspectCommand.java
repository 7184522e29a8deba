package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RuntimeInfo;
import dev.vessel.core.model.VmSpec;
import dev.vessel.model.InstanceStats;
import dev.vessel.model.InstanceView;
import dev.vessel.model.NicView;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vessel inspect}: the full picture of an instance, including the exact QEMU command line. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Show an instance in detail (VM or container).")
class InspectCommand extends ApiCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    public Integer call() {
        for (String n : names) {
            JsonNode i = api().get("/api/v1/instances/" + Api.enc(n));
            JsonNode guest = guestAgent(i);
            if (json()) {
                if (guest != null && i instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                    o.set("guest", guest);
                }
                Output.json(out(), i);
            } else {
                InstanceView view = Api.read(i, InstanceView.class);
                summary(out(), view, guestMemory(view));
                if (guest != null && guest.has("error")) {
                    line(out(), "Guest", guest.path("error").asText());
                } else if (guest != null) {
                    GuestCommands.print(out(), guest);
                }
            }
        }
        return ExitCodes.OK;
    }

    static void summary(PrintStream out, InstanceView i) {
        summary(out, i, null);
    }

    /** @param guest the VM's memory from its latest stats sample (the guest's own view), or null */
    static void summary(PrintStream out, InstanceView i, InstanceStats.Memory guest) {
        InstanceState st = i.state();
        RuntimeInfo rt = i.runtime();
        InstanceView.Memory mem = i.memory();
        boolean container = "container".equals(i.kind());
        line(out, "Name", i.name());
        if (i.project() != null && !i.project().equals(dev.vessel.core.model.ProjectKey.DEFAULT_PROJECT)) {
            line(out, "Project", i.project());
        }
        line(out, "Id", i.id());
        line(out, "Kind", i.kind());
        if (st != null) {
            line(
                    out,
                    "State",
                    st.label() + " since " + st.since()
                            + (st instanceof InstanceState.Stopped s && s.reason() != null
                                    ? " (" + s.reason().label() + ")"
                                    : ""));
            if (st instanceof InstanceState.Stopped s && s.detail() != null) {
                line(out, "Reason", s.detail());
            }
        }
        line(out, "Image", i.image() == null ? "-" : i.image());
        switch (i.spec()) {
            case VmSpec vm -> line(out, "CPUs", Integer.toString(vm.cpus()));
            case ContainerSpec c -> line(out, "CPUs", cpus(c.cpus()));
            case null -> {}
        }
        for (NicView n : i.networks() == null ? List.<NicView>of() : i.networks()) {
            String lease = NetworkOptions.leaseState(n);
            line(
                    out,
                    "Network",
                    "nic" + n.index() + " " + n.network() + " " + (n.ip() == null ? "-" : n.ip()) + " (MAC "
                            + (n.mac() == null ? "-" : n.mac()) + ")" + (lease.isEmpty() ? "" : ", " + lease));
        }
        if (i.spec() instanceof ContainerSpec c) {
            ContainerStates.inspect(out, i, c);
        }
        if (mem != null) {
            line(
                    out,
                    "Memory",
                    "configured " + Output.bytes(mem.configured()) + (container ? ", processes' RSS " : ", QEMU RSS ")
                            + Output.bytes(mem.processRss()) + ", cgroup " + Output.bytes(mem.cgroupUsage()) + " of "
                            + Output.bytes(mem.cgroupLimit()));
        }
        if (guest != null && guest.guestTotal() > 0) {
            line(
                    out,
                    "Guest mem",
                    Output.bytes(guest.guestUsed()) + " used of " + Output.bytes(guest.guestTotal())
                            + " as the guest sees it (available " + Output.bytes(guest.guestAvailable())
                            + ", page cache "
                            + Output.bytes(guest.guestCache()) + "; balloon leaves it " + Output.bytes(guest.balloon())
                            + (guest.target() > 0 ? ", target " + Output.bytes(guest.target()) : "") + ")");
        }
        if (rt != null) {
            line(out, "Pid", Long.toString(rt.pid()));
            line(out, "Container", rt.containerId());
            var c = i.confinement();
            if (c != null) {
                line(
                        out,
                        "Confined",
                        "uid " + c.uid() + ", gid " + c.gid() + ", "
                                + (c.noCapabilities() ? "no capabilities" : "capabilities " + c.capEff())
                                + (c.noNewPrivs() ? ", no new privileges" : "") + ", seccomp " + c.seccomp());
            }
            if (rt.accel() != null) {
                line(out, "Accel", rt.accel() + " (" + rt.accelReason() + ")");
            }
            if (!rt.command().isEmpty()) {
                var sb = new StringBuilder();
                for (String s : rt.command()) {
                    sb.append(sb.isEmpty() ? "" : " ")
                            .append(s.matches("[A-Za-z0-9_./=,:@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'");
                }
                line(out, "Command", sb.toString());
            }
        } else if (i.spec() instanceof VmSpec vm && vm.accel() != null) {
            line(out, "Accel", vm.accel().name().toLowerCase(java.util.Locale.ROOT) + " (requested)");
        }
        if (i.spec() instanceof VmSpec vm) {
            var p = vm.platform();
            line(
                    out,
                    "Platform",
                    p.os().label() + ", " + p.firmware().label() + (p.tpm() ? ", TPM 2.0" : "")
                            + (p.varsTemplate() != null && !p.varsTemplate().startsWith("/usr/share/OVMF/")
                                    ? " (variables from " + p.varsTemplate() + ")"
                                    : ""));
            if (p.secureBootNote() != null) {
                line(out, "Note", p.secureBootNote());
            }
        }
        if (rt != null && rt.hyperv() != null) {
            line(
                    out,
                    "Hyper-V",
                    String.join(",", rt.hyperv().accepted())
                            + (rt.hyperv().refused().isEmpty()
                                    ? ""
                                    : " (refused by this host: "
                                            + String.join(",", rt.hyperv().refused()) + ")"));
        }
        if (rt != null && rt.tpm() != null) {
            line(out, "TPM", rt.tpm());
        }
    }

    /** A container's CPU limit, where 0 means none ("no limit", not "0.0"). */
    static String cpus(double v) {
        return v <= 0 ? "no limit" : (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
    }

    /**
     * What a running VM's guest agent says (asked with a short timeout, so a guest without an agent costs inspect a
     * second at most), or {@code {"error": ...}} when it does not answer; null for anything but a running VM.
     */
    JsonNode guestAgent(JsonNode i) {
        if (!"vm".equals(i.path("kind").asText())
                || !"running".equals(i.path("status").asText())) {
            return null;
        }
        try {
            return api().get("/api/v1/instances/" + Api.enc(i.path("name").asText()) + "/guest?timeout=1");
        } catch (CliError e) {
            return dev.vessel.host.Json.MAPPER.createObjectNode().put("error", e.getMessage());
        }
    }

    /** A running VM's memory as its guest sees it, from the stats; null for anything else or when there is none. */
    InstanceStats.Memory guestMemory(InstanceView i) {
        if (!"vm".equals(i.kind()) || !"running".equals(i.status())) {
            return null;
        }
        try {
            return api().get("/api/v1/instances/" + Api.enc(i.name()) + "/stats", InstanceStats.class)
                    .memory();
        } catch (CliError e) {
            return null;
        }
    }

    static void line(PrintStream out, String k, String v) {
        out.printf("%-10s %s%n", k + ":", v);
    }

    @Command(
            name = "inspect",
            mixinStandardHelpOptions = true,
            description = "Show a VM in detail, with its exact QEMU command line.")
    static final class VmInspect extends InspectCommand {}
}
