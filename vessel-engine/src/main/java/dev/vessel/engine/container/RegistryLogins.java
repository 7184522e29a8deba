package dev.vessel.engine.container;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import dev.vessel.image.registry.Credentials;
import dev.vessel.image.registry.RegistryClient;
import dev.vessel.image.registry.RegistryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code vessel login}: registry credentials, checked against the registry before they are kept (as {@code docker
 * login} does), then kept by the daemon in one root-only (0600) file, {@code <data-dir>/registry-auth.json}, and used
 * by every pull from that registry. The API lists registries and user names, never passwords.
 */
public final class RegistryLogins {
    private static final Pattern REGISTRY =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");
    private static final TypeReference<TreeMap<String, Stored>> TYPE = new TypeReference<>() {};

    /** One login as the file keeps it. */
    public record Stored(String username, String password) {}

    /** What the API shows of a login. */
    public record View(String registry, String username) {}

    private final Path file;

    public RegistryLogins(Path file) {
        this.file = file;
    }

    public synchronized List<View> list() {
        return read().entrySet().stream()
                .map(e -> new View(e.getKey(), e.getValue().username()))
                .toList();
    }

    /** Checks the credentials with the registry, then keeps them; nothing is kept when the registry refuses them. */
    public synchronized View login(String registry, String username, String password, RegistryOptions base) {
        if (registry == null || !REGISTRY.matcher(registry).matches()) {
            throw VesselException.invalid("registry", "'" + registry + "' is not a registry host or host:port");
        }
        if (username == null
                || username.isEmpty()
                || username.length() > 256
                || username.contains(":")
                || username.chars().anyMatch(c -> c < 0x20)) {
            throw VesselException.invalid("username", "must be 1..256 printable characters without ':'");
        }
        if (password == null || password.isEmpty() || password.length() > 4096) {
            throw VesselException.invalid("password", "must be 1..4096 characters");
        }
        new RegistryClient(base.withCredentials(registry, new Credentials(username, password))).login(registry);
        var all = read();
        all.put(registry, new Stored(username, password));
        write(all);
        return new View(registry, username);
    }

    public synchronized void logout(String registry) {
        var all = read();
        if (all.remove(registry) == null) {
            throw VesselException.notFound("login", registry);
        }
        write(all);
    }

    /** The base options with every stored login's credentials. */
    public synchronized RegistryOptions apply(RegistryOptions base) {
        RegistryOptions o = base;
        for (Map.Entry<String, Stored> e : read().entrySet()) {
            o = o.withCredentials(
                    e.getKey(),
                    new Credentials(e.getValue().username(), e.getValue().password()));
        }
        return o;
    }

    private TreeMap<String, Stored> read() {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            return Json.MAPPER.readValue(Files.readString(file), TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void write(TreeMap<String, Stored> all) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, Json.write(all), StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
