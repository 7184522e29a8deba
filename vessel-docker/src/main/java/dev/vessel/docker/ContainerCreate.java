package dev.vessel.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.ContainerCreateRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /containers/create}: Docker's Config, HostConfig and NetworkingConfig as the engine's create request.
 * What Vessel does not do is refused by name rather than dropped: a container asked to be privileged, or given a
 * device, is not quietly made without.
 */
final class ContainerCreate {
    private ContainerCreate() {}

    /** HostConfig fields that change what a container is, and that Vessel does not have: refused when set. */
    private static final List<String> REFUSED =
            List.of("Devices", "CapAdd", "ExtraHosts", "Dns", "DnsSearch", "Links", "VolumesFrom", "DeviceRequests");

    /**
     * @param dockerName the {@code name} query parameter, or null
     * @param freePort a free host port, for a published port without one ({@code -p 80})
     */
    static ContainerCreateRequest request(JsonNode body, String dockerName, java.util.function.IntSupplier freePort) {
        String image = DockerJson.text(body, "Image");
        if (image == null || image.isBlank()) {
            throw DockerErrors.invalid("config cannot be empty in order to create a container");
        }
        JsonNode host = DockerJson.object(body, "HostConfig");
        for (String f : REFUSED) {
            JsonNode n = host.get(f);
            if (n != null && !n.isNull() && !(n.isArray() && n.isEmpty()) && !(n.isObject() && n.isEmpty())) {
                throw DockerErrors.invalid("HostConfig." + f + " is not supported by Vessel");
            }
        }
        if (DockerJson.bool(host, "Privileged")) {
            throw DockerErrors.invalid(
                    "privileged containers are not supported by Vessel (a VM image runs as a VM, unprivileged)");
        }
        var labels = new LinkedHashMap<>(DockerJson.stringMap(body, "Labels"));
        labels.remove(ContainerRefs.NAME_LABEL);
        String name = null;
        if (dockerName != null && !dockerName.isEmpty()) {
            name = ContainerRefs.vesselName(dockerName);
            if (!name.equals(ContainerRefs.strip(dockerName))) {
                labels.put(ContainerRefs.NAME_LABEL, ContainerRefs.strip(dockerName));
            }
        }
        var volumes = new ArrayList<String>();
        var tmpfs = new ArrayList<String>();
        var binds = DockerJson.strings(host, "Binds");
        if (binds != null) {
            volumes.addAll(binds);
        }
        mounts(host.get("Mounts"), volumes, tmpfs);
        DockerJson.stringMap(host, "Tmpfs")
                .forEach((path, opts) -> tmpfs.add(opts.isEmpty() ? path : path + ":" + opts));
        long memory = DockerJson.number(host, "Memory", 0);
        if (memory < 0) {
            throw DockerErrors.invalid("Memory must not be negative");
        }
        Double cpus = cpus(host);
        long pids = DockerJson.number(host, "PidsLimit", 0);
        String hostname = DockerJson.text(body, "Hostname");
        String workdir = DockerJson.text(body, "WorkingDir");
        String user = DockerJson.text(body, "User");
        String stopSignal = DockerJson.text(body, "StopSignal");
        long stopTimeout = DockerJson.number(body, "StopTimeout", -1);
        List<String> entrypoint = DockerJson.strings(body, "Entrypoint");
        if (entrypoint != null
                && entrypoint.size() == 1
                && entrypoint.getFirst().isEmpty()) {
            entrypoint = List.of(); // --entrypoint "": no entrypoint at all
        }
        List<String> cmd = DockerJson.strings(body, "Cmd");
        return new ContainerCreateRequest(
                name,
                image,
                entrypoint,
                cmd == null || cmd.isEmpty() ? null : cmd,
                DockerJson.strings(body, "Env"),
                blank(workdir),
                blank(user),
                blank(hostname),
                DockerJson.bool(host, "ReadonlyRootfs") ? true : null,
                tmpfs.isEmpty() ? null : tmpfs,
                volumes.isEmpty() ? null : volumes,
                memory == 0 ? null : Long.toString(memory),
                cpus,
                pids <= 0 ? null : pids,
                restart(DockerJson.object(host, "RestartPolicy")),
                network(host, DockerJson.object(body, "NetworkingConfig")),
                DockerJson.bool(body, "Tty") ? true : null,
                DockerJson.bool(body, "OpenStdin") ? true : null,
                DockerJson.bool(host, "AutoRemove") ? true : null,
                stopTimeout < 0 ? null : (int) Math.min(stopTimeout, Integer.MAX_VALUE),
                blank(stopSignal),
                ports(DockerJson.object(host, "PortBindings"), freePort),
                DockerJson.strings(host, "SecurityOpt"),
                null,
                labels.isEmpty() ? null : labels);
    }

    private static boolean inRange(String port) {
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Double cpus(JsonNode host) {
        long nano = DockerJson.number(host, "NanoCpus", 0);
        if (nano < 0) {
            throw DockerErrors.invalid("NanoCpus must not be negative");
        }
        if (nano > 0) {
            return nano / 1e9;
        }
        long quota = DockerJson.number(host, "CpuQuota", 0);
        long period = DockerJson.number(host, "CpuPeriod", 0);
        if (quota > 0) {
            return quota / (double) (period > 0 ? period : 100_000);
        }
        return null;
    }

    /** HostConfig.Mounts (compose v2, the API's newer form) as -v and --tmpfs strings. */
    private static void mounts(JsonNode mounts, List<String> volumes, List<String> tmpfs) {
        if (mounts == null || mounts.isNull()) {
            return;
        }
        if (!mounts.isArray()) {
            throw DockerErrors.invalid("json: HostConfig.Mounts must be a list");
        }
        for (JsonNode m : mounts) {
            String type = DockerJson.text(m, "Type");
            String source = DockerJson.text(m, "Source");
            String target = DockerJson.text(m, "Target");
            if (target == null || target.isEmpty()) {
                throw DockerErrors.invalid("invalid mount config: Target is required");
            }
            boolean ro = DockerJson.bool(m, "ReadOnly");
            switch (type == null ? "" : type) {
                case "bind", "volume" -> {
                    if (source == null || source.isEmpty()) {
                        throw DockerErrors.invalid("invalid mount config for type \"" + type
                                + "\": Source is required (anonymous volumes are not supported)");
                    }
                    volumes.add(source + ":" + target + (ro ? ":ro" : ""));
                }
                case "tmpfs" -> {
                    long size = DockerJson.number(DockerJson.object(m, "TmpfsOptions"), "SizeBytes", 0);
                    tmpfs.add(size > 0 ? target + ":size=" + size : target);
                }
                default -> throw DockerErrors.invalid("mount type \"" + type + "\" is not supported by Vessel");
            }
        }
    }

    private static String restart(JsonNode policy) {
        String name = DockerJson.text(policy, "Name");
        if (name == null || name.isEmpty() || name.equals("no")) {
            return null;
        }
        long max = DockerJson.number(policy, "MaximumRetryCount", 0);
        if (name.equals("on-failure") && max > 0) {
            return "on-failure:" + max;
        }
        return name;
    }

    /** HostConfig.NetworkMode, else the one network of NetworkingConfig (compose's project network). */
    static String network(JsonNode host, JsonNode networking) {
        String mode = DockerJson.text(host, "NetworkMode");
        if (mode != null && mode.startsWith("container:")) {
            throw DockerErrors.invalid("network mode container:NAME is not supported by Vessel");
        }
        if (mode == null || mode.isEmpty() || mode.equals("default") || mode.equals("bridge")) {
            JsonNode endpoints = DockerJson.object(networking, "EndpointsConfig");
            var names = new ArrayList<String>();
            endpoints.fieldNames().forEachRemaining(names::add);
            names.remove("bridge");
            names.remove("default");
            if (names.size() > 1) {
                throw DockerErrors.invalid("a container joins one network at create; connect others afterwards");
            }
            return names.isEmpty() ? null : names.getFirst();
        }
        return mode;
    }

    /** PortBindings as -p strings: {@code "80/tcp": [{"HostIp": "", "HostPort": "8080"}]} is {@code 8080:80/tcp}. */
    static List<String> ports(JsonNode bindings, java.util.function.IntSupplier freePort) {
        var out = new ArrayList<String>();
        for (var it = bindings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String port = e.getKey();
            if (!port.matches("\\d{1,5}(/(tcp|udp))?") || !inRange(port.split("/")[0])) {
                throw DockerErrors.invalid("invalid port specification: \"" + ContainerRefs.printable(port) + "\"");
            }
            if (!port.contains("/")) {
                port = port + "/tcp";
            }
            JsonNode list = e.getValue();
            if (list == null || list.isNull()) {
                continue;
            }
            if (!list.isArray()) {
                throw DockerErrors.invalid("json: HostConfig.PortBindings." + port + " must be a list");
            }
            for (JsonNode b : list) {
                String ip = DockerJson.text(b, "HostIp");
                String hostPort = DockerJson.text(b, "HostPort");
                if (hostPort == null || hostPort.isEmpty()) {
                    hostPort = Integer.toString(freePort.getAsInt());
                }
                if (hostPort.contains("-")) {
                    throw DockerErrors.invalid("host port ranges are not supported by Vessel: " + hostPort);
                }
                if (!hostPort.matches("\\d{1,5}") || !inRange(hostPort)) {
                    throw DockerErrors.invalid("invalid host port: \"" + ContainerRefs.printable(hostPort) + "\"");
                }
                out.add((ip == null || ip.isEmpty() ? "" : hostIp(ip) + ":") + hostPort + ":" + port);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static String hostIp(String ip) {
        return ip.contains(":") ? "[" + ip + "]" : ip;
    }
}
