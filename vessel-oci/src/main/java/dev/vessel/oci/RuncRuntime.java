package dev.vessel.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import dev.vessel.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Drives the runc binary with its own state root, so Vessel's containers never mix with anyone else's. */
public final class RuncRuntime implements OciRuntime {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final String binary;
    private final Path root;
    private final ProcessRunner proc;

    public RuncRuntime(String binary, Path root, ProcessRunner proc) {
        this.binary = binary;
        this.root = root;
        this.proc = proc;
    }

    private List<String> argv(String... args) {
        var a = new ArrayList<String>();
        a.add(binary);
        a.add("--root");
        a.add(root.toString());
        a.addAll(List.of(args));
        return a;
    }

    @Override
    public String describe() {
        var r = proc.exec(List.of(binary, "--version"), TIMEOUT, null, null);
        return r.ok() ? r.stdout().lines().findFirst().orElse(binary) : binary + " (version unknown)";
    }

    @Override
    public void run(String id, Path bundle, Path log) {
        var r = proc.execLogged(argv("run", "--detach", "--bundle", bundle.toString(), id), TIMEOUT, log);
        if (!r.ok()) {
            delete(id, true);
            throw VesselException.host(
                    "runc could not start container " + id + ": " + r.stderr().strip(), null);
        }
    }

    @Override
    public void create(String id, Path bundle, Path log) {
        var r = proc.execLogged(argv("create", "--bundle", bundle.toString(), id), TIMEOUT, log);
        if (!r.ok()) {
            delete(id, true);
            throw VesselException.host(
                    "runc could not create container " + id + ": " + r.stderr().strip(), null);
        }
    }

    @Override
    public long execDetached(String id, List<String> args, Path pidFile, Path log) {
        var a = new java.util.ArrayList<>(List.of("exec", "--detach", "--pid-file", pidFile.toString(), id));
        a.addAll(args);
        var r = proc.execLogged(argv(a.toArray(String[]::new)), TIMEOUT, log);
        if (!r.ok()) {
            throw VesselException.host(
                    "runc could not start " + args.getFirst() + " in container " + id + ": "
                            + r.stderr().strip(),
                    null);
        }
        try {
            return Long.parseLong(java.nio.file.Files.readString(pidFile).strip());
        } catch (java.io.IOException | NumberFormatException e) {
            throw VesselException.host("runc wrote no pid for " + args.getFirst() + " to " + pidFile, e);
        }
    }

    @Override
    public void start(String id) {
        var r = proc.exec(argv("start", id), TIMEOUT, null, null);
        if (!r.ok()) {
            throw VesselException.host(
                    "runc could not start container " + id + ": " + r.stderr().strip(), null);
        }
    }

    @Override
    public Optional<ContainerState> state(String id) {
        var r = proc.exec(argv("state", id), TIMEOUT, null, null);
        if (!r.ok()) {
            if (r.stderr().contains("does not exist") || r.stderr().contains("not exist")) {
                return Optional.empty();
            }
            throw VesselException.host(
                    "runc state " + id + " failed: " + r.stderr().strip(), null);
        }
        return Optional.of(parse(Json.tree(r.stdout())));
    }

    @Override
    public void kill(String id, String signal) {
        var r = proc.exec(argv("kill", id, signal), TIMEOUT, null, null);
        if (!r.ok() && !r.stderr().contains("not running") && !r.stderr().contains("does not exist")) {
            throw VesselException.host(
                    "runc kill " + id + " " + signal + " failed: " + r.stderr().strip(), null);
        }
    }

    @Override
    public void delete(String id, boolean force) {
        var r = proc.exec(force ? argv("delete", "--force", id) : argv("delete", id), TIMEOUT, null, null);
        if (!r.ok() && !r.stderr().contains("does not exist")) {
            throw VesselException.host(
                    "runc delete " + id + " failed: " + r.stderr().strip(), null);
        }
    }

    @Override
    public void pause(String id) {
        var r = proc.exec(argv("pause", id), TIMEOUT, null, null);
        if (!r.ok()) {
            throw VesselException.host(
                    "runc could not pause container " + id + ": " + r.stderr().strip(), null);
        }
    }

    @Override
    public void resume(String id) {
        var r = proc.exec(argv("resume", id), TIMEOUT, null, null);
        if (!r.ok()) {
            throw VesselException.host(
                    "runc could not resume container " + id + ": " + r.stderr().strip(), null);
        }
    }

    @Override
    public List<ContainerState> list() {
        var r = proc.run(argv("list", "--format", "json"), TIMEOUT);
        String out = r.stdout().strip();
        if (out.isEmpty() || out.equals("null")) {
            return List.of();
        }
        var list = new ArrayList<ContainerState>();
        for (JsonNode n : Json.tree(out)) {
            list.add(parse(n));
        }
        return list;
    }

    private static ContainerState parse(JsonNode n) {
        return new ContainerState(
                n.path("id").asText(),
                Status.parse(n.path("status").asText()),
                n.path("pid").asLong(),
                n.path("bundle").asText());
    }
}
