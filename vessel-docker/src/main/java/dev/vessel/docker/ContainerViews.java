package dev.vessel.docker;

import dev.vessel.core.model.ContainerMount;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceState;
import dev.vessel.core.model.RestartPolicy;
import dev.vessel.core.model.StopReason;
import dev.vessel.engine.service.Services;
import dev.vessel.model.InstanceView;
import dev.vessel.model.OciImageView;
import dev.vessel.model.PortView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container as Docker shows it: the line of {@code GET /containers/json} and the document of
 * {@code GET /containers/{id}/json}. Docker's JSON is wide and irregular (some 60 fields, several spelled by Go's
 * zero values), so it is built as ordered maps here, in one place, rather than as records that would only be copied
 * into it.
 */
final class ContainerViews {
    private final Services services;
    private final Clock clock;
    private final Map<String, OciImageView.Config> imageConfigs = new HashMap<>();

    ContainerViews(Services services, Clock clock) {
        this.services = services;
        this.clock = clock;
    }

    static String state(InstanceState s) {
        return switch (s) {
            case InstanceState.Created c -> "created";
            case InstanceState.Starting st -> "running";
            case InstanceState.Running r -> "running";
            case InstanceState.Paused p -> "paused";
            case InstanceState.Stopping st -> "running";
            case InstanceState.Stopped st -> "exited";
        };
    }

    static int exitCode(InstanceState s) {
        if (s instanceof InstanceState.Stopped st) {
            if (st.exitCode() != null) {
                return st.exitCode();
            }
            return st.reason() == StopReason.KILLED || st.reason() == StopReason.STOP_TIMEOUT_KILLED ? 137 : 0;
        }
        return 0;
    }

    private String status(Instance i) {
        Instant now = clock.instant();
        return switch (i.state()) {
            case InstanceState.Created c -> "Created";
            case InstanceState.Stopped s ->
                "Exited (" + exitCode(s) + ") " + DockerTime.human(Duration.between(s.since(), now)) + " ago";
            case InstanceState.Paused p -> "Up " + DockerTime.human(Duration.between(started(i), now)) + " (Paused)";
            default -> "Up " + DockerTime.human(Duration.between(started(i), now));
        };
    }

    private static Instant started(Instance i) {
        if (i.runtime() != null && i.runtime().startedAt() != null) {
            return i.runtime().startedAt();
        }
        return i.state().since();
    }

    private OciImageView.Config imageConfig(ContainerSpec c) {
        return imageConfigs.computeIfAbsent(c.imageId(), id -> {
            try {
                return services.ociImages().inspect(null, id).config();
            } catch (dev.vessel.core.error.VesselException e) {
                return null; // the image was removed: the container's own settings are all there is
            }
        });
    }

    /** The process the container runs: its entrypoint and command over the image's. */
    List<String> process(ContainerSpec c) {
        var cfg = imageConfig(c);
        List<String> ep = c.entrypoint() != null
                ? c.entrypoint()
                : cfg == null || cfg.entrypoint() == null ? List.of() : cfg.entrypoint();
        List<String> cmd = !c.command().isEmpty()
                ? c.command()
                : c.entrypoint() != null || cfg == null || cfg.cmd() == null ? List.of() : cfg.cmd();
        var all = new ArrayList<>(ep);
        all.addAll(cmd);
        return all;
    }

    private List<PortView> ports(Instance i) {
        return services.networks().ports().stream()
                .filter(p -> p.targetInstance().equals(i.name()))
                .toList();
    }

    static String networkName(String vessel) {
        return vessel == null || vessel.equals("default") ? "bridge" : vessel;
    }

    /** A line of {@code docker ps}. */
    Map<String, Object> summary(Instance i) {
        var c = (ContainerSpec) i.spec();
        var m = new LinkedHashMap<String, Object>();
        m.put("Id", i.id());
        m.put("Names", List.of("/" + ContainerRefs.dockerName(i)));
        m.put("Image", c.image());
        m.put("ImageID", c.imageId());
        m.put("Command", String.join(" ", process(c)));
        m.put("Created", i.createdAt().getEpochSecond());
        var ports = new ArrayList<Map<String, Object>>();
        for (PortView p : ports(i)) {
            var pm = new LinkedHashMap<String, Object>();
            pm.put("IP", p.hostIp() == null ? "0.0.0.0" : p.hostIp());
            pm.put("PrivatePort", p.targetPort());
            pm.put("PublicPort", p.hostPort());
            pm.put("Type", p.protocol());
            ports.add(pm);
        }
        m.put("Ports", ports);
        m.put("Labels", ContainerRefs.labels(i));
        m.put("State", state(i.state()));
        m.put("Status", status(i));
        m.put("HostConfig", Map.of("NetworkMode", c.network() == null ? "bridge" : networkName(c.network())));
        m.put("NetworkSettings", Map.of("Networks", networks(i)));
        m.put("Mounts", mounts(c));
        return m;
    }

    private Map<String, Object> networks(Instance i) {
        var c = (ContainerSpec) i.spec();
        var out = new LinkedHashMap<String, Object>();
        if ("none".equals(c.network()) || "host".equals(c.network())) {
            out.put(c.network(), endpoint(null, null));
            return out;
        }
        InstanceView v = null;
        try {
            v = services.instances().view(i.name());
        } catch (dev.vessel.core.error.VesselException e) {
            // removed meanwhile
        }
        if (v != null && v.networks() != null && !v.networks().isEmpty()) {
            for (var nic : v.networks()) {
                out.put(networkName(nic.network()), endpoint(nic.ip(), nic.mac()));
            }
        } else {
            out.put(networkName(c.network()), endpoint(null, null));
        }
        return out;
    }

    private static Map<String, Object> endpoint(String ip, String mac) {
        var e = new LinkedHashMap<String, Object>();
        String addr = ip == null ? "" : ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip;
        e.put("IPAMConfig", null);
        e.put("Links", null);
        e.put("Aliases", null);
        e.put("NetworkID", "");
        e.put("EndpointID", "");
        e.put("Gateway", "");
        e.put("IPAddress", addr);
        e.put("IPPrefixLen", ip != null && ip.contains("/") ? Integer.parseInt(ip.substring(ip.indexOf('/') + 1)) : 0);
        e.put("MacAddress", mac == null ? "" : mac);
        return e;
    }

    private static List<Map<String, Object>> mounts(ContainerSpec c) {
        var out = new ArrayList<Map<String, Object>>();
        for (ContainerMount mt : c.mounts()) {
            var m = new LinkedHashMap<String, Object>();
            boolean vol = mt.type() == ContainerMount.Type.VOLUME;
            m.put("Type", vol ? "volume" : "bind");
            if (vol) {
                m.put("Name", mt.source());
            }
            m.put("Source", mt.source());
            m.put("Destination", mt.target());
            m.put("Driver", vol ? "local" : "");
            m.put("Mode", mt.readOnly() ? "ro" : "");
            m.put("RW", !mt.readOnly());
            m.put("Propagation", vol ? "" : "rprivate");
            out.add(m);
        }
        return out;
    }

    /** {@code docker inspect}. */
    Map<String, Object> inspect(Instance i) {
        var c = (ContainerSpec) i.spec();
        var process = process(c);
        var m = new LinkedHashMap<String, Object>();
        m.put("Id", i.id());
        m.put("Created", DockerTime.rfc3339(i.createdAt()));
        m.put("Path", process.isEmpty() ? "" : process.getFirst());
        m.put("Args", process.isEmpty() ? List.of() : process.subList(1, process.size()));
        m.put("State", stateOf(i));
        m.put("Image", c.imageId());
        m.put("ResolvConfPath", "");
        m.put("HostnamePath", "");
        m.put("HostsPath", "");
        m.put("LogPath", "");
        m.put("Name", "/" + ContainerRefs.dockerName(i));
        m.put("RestartCount", 0);
        m.put("Driver", "overlay".equals(c.rootfs()) ? "overlay2" : "vfs");
        m.put("Platform", "linux");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        m.put("ExecIDs", null);
        m.put("HostConfig", hostConfig(i, c));
        m.put("GraphDriver", Map.of("Name", "overlay".equals(c.rootfs()) ? "overlay2" : "vfs", "Data", Map.of()));
        m.put("Mounts", mounts(c));
        m.put("Config", config(i, c));
        m.put("NetworkSettings", networkSettings(i));
        return m;
    }

    private static Map<String, Object> stateOf(Instance i) {
        var s = i.state();
        var m = new LinkedHashMap<String, Object>();
        m.put("Status", state(s));
        m.put(
                "Running",
                s instanceof InstanceState.Running
                        || s instanceof InstanceState.Starting
                        || s instanceof InstanceState.Stopping);
        m.put("Paused", s instanceof InstanceState.Paused);
        m.put("Restarting", false);
        boolean oom = s instanceof InstanceState.Stopped st && st.reason() == StopReason.OOM_KILLED;
        m.put("OOMKilled", oom);
        m.put("Dead", false);
        m.put("Pid", s.active() && i.runtime() != null ? i.runtime().pid() : 0);
        m.put("ExitCode", exitCode(s));
        m.put(
                "Error",
                s instanceof InstanceState.Stopped st && st.reason() == StopReason.START_FAILED && st.detail() != null
                        ? st.detail()
                        : "");
        m.put(
                "StartedAt",
                i.runtime() != null && i.runtime().startedAt() != null
                        ? DockerTime.rfc3339(i.runtime().startedAt())
                        : DockerTime.ZERO);
        m.put("FinishedAt", s instanceof InstanceState.Stopped st ? DockerTime.rfc3339(st.since()) : DockerTime.ZERO);
        return m;
    }

    private Map<String, Object> hostConfig(Instance i, ContainerSpec c) {
        var m = new LinkedHashMap<String, Object>();
        var binds = new ArrayList<String>();
        for (ContainerMount mt : c.mounts()) {
            binds.add(mt.source() + ":" + mt.target() + (mt.readOnly() ? ":ro" : ""));
        }
        m.put("Binds", binds.isEmpty() ? null : binds);
        m.put("NetworkMode", c.network() == null ? "bridge" : networkName(c.network()));
        var bindings = new LinkedHashMap<String, Object>();
        for (PortView p : ports(i)) {
            var list = new ArrayList<Map<String, String>>();
            list.add(
                    Map.of("HostIp", p.hostIp() == null ? "" : p.hostIp(), "HostPort", Integer.toString(p.hostPort())));
            @SuppressWarnings("unchecked")
            var old = (List<Map<String, String>>) bindings.get(p.targetPort() + "/" + p.protocol());
            if (old != null) {
                list.addAll(0, old);
            }
            bindings.put(p.targetPort() + "/" + p.protocol(), list);
        }
        m.put("PortBindings", bindings);
        m.put(
                "RestartPolicy",
                Map.of(
                        "Name",
                        restartName(c.restart()),
                        "MaximumRetryCount",
                        c.restart().maxRetries()));
        m.put("AutoRemove", c.autoRemove());
        m.put("Privileged", false);
        m.put("ReadonlyRootfs", c.readOnly());
        m.put("Memory", c.memoryBytes());
        m.put("NanoCpus", (long) (c.cpus() * 1e9));
        m.put("PidsLimit", c.pidsLimit() == 0 ? null : c.pidsLimit());
        var tmpfs = new LinkedHashMap<String, String>();
        c.tmpfs().forEach(t -> tmpfs.put(t.target(), String.join(",", t.options())));
        m.put("Tmpfs", tmpfs.isEmpty() ? null : tmpfs);
        m.put("SecurityOpt", c.noNewPrivileges() ? List.of("no-new-privileges") : null);
        m.put("UsernsMode", c.ownUserns() ? "auto" : "");
        m.put("LogConfig", Map.of("Type", "json-file", "Config", Map.of()));
        m.put("Init", true);
        return m;
    }

    static String restartName(RestartPolicy p) {
        return switch (p.mode()) {
            case NO -> "no";
            case ON_FAILURE -> "on-failure";
            case ALWAYS -> "always";
            case UNLESS_STOPPED -> "unless-stopped";
        };
    }

    private Map<String, Object> config(Instance i, ContainerSpec c) {
        var cfg = imageConfig(c);
        var m = new LinkedHashMap<String, Object>();
        m.put("Hostname", c.hostname() != null ? c.hostname() : i.shortName());
        m.put("Domainname", "");
        m.put("User", c.user() != null ? c.user() : cfg != null && cfg.user() != null ? cfg.user() : "");
        m.put("AttachStdin", false);
        m.put("AttachStdout", false);
        m.put("AttachStderr", false);
        var exposed = new LinkedHashMap<String, Object>();
        if (cfg != null && cfg.exposedPorts() != null) {
            cfg.exposedPorts().forEach(p -> exposed.put(p, Map.of()));
        }
        for (PortView p : ports(i)) {
            exposed.put(p.targetPort() + "/" + p.protocol(), Map.of());
        }
        m.put("ExposedPorts", exposed.isEmpty() ? null : exposed);
        m.put("Tty", c.tty());
        m.put("OpenStdin", c.interactive());
        m.put("StdinOnce", false);
        var env = new ArrayList<String>();
        if (cfg != null && cfg.env() != null) {
            env.addAll(cfg.env());
        }
        env.addAll(c.env());
        m.put("Env", env);
        m.put("Cmd", !c.command().isEmpty() ? c.command() : c.entrypoint() == null && cfg != null ? cfg.cmd() : null);
        m.put("Image", c.image());
        m.put("Volumes", null);
        m.put(
                "WorkingDir",
                c.workdir() != null ? c.workdir() : cfg != null && cfg.workingDir() != null ? cfg.workingDir() : "");
        m.put("Entrypoint", c.entrypoint() != null ? c.entrypoint() : cfg != null ? cfg.entrypoint() : null);
        m.put("OnBuild", null);
        m.put("Labels", ContainerRefs.labels(i));
        m.put(
                "StopSignal",
                c.stopSignal() != null
                        ? c.stopSignal()
                        : cfg != null && cfg.stopSignal() != null ? cfg.stopSignal() : "SIGTERM");
        m.put("StopTimeout", c.stopTimeoutSeconds());
        return m;
    }

    private Map<String, Object> networkSettings(Instance i) {
        var m = new LinkedHashMap<String, Object>();
        var nets = networks(i);
        m.put("Bridge", "");
        m.put("SandboxID", "");
        m.put("HairpinMode", false);
        var ports = new LinkedHashMap<String, Object>();
        for (PortView p : ports(i)) {
            String key = p.targetPort() + "/" + p.protocol();
            @SuppressWarnings("unchecked")
            var list =
                    (List<Map<String, String>>) ports.computeIfAbsent(key, k -> new ArrayList<Map<String, String>>());
            list.add(Map.of(
                    "HostIp", p.hostIp() == null ? "0.0.0.0" : p.hostIp(), "HostPort", Integer.toString(p.hostPort())));
        }
        m.put("Ports", ports);
        m.put("SandboxKey", "");
        @SuppressWarnings("unchecked")
        var first = nets.isEmpty()
                ? null
                : (Map<String, Object>) nets.values().iterator().next();
        m.put("Gateway", "");
        m.put("IPAddress", first == null ? "" : first.get("IPAddress"));
        m.put("IPPrefixLen", first == null ? 0 : first.get("IPPrefixLen"));
        m.put("MacAddress", first == null ? "" : first.get("MacAddress"));
        m.put("Networks", nets);
        return m;
    }
}
