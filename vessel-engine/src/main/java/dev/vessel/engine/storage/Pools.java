package dev.vessel.engine.storage;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Names;
import dev.vessel.engine.store.Database;
import dev.vessel.host.ProcessRunner;
import dev.vessel.qemu.ImageTool;
import dev.vessel.storage.DirectoryPool;
import dev.vessel.storage.StoragePool;
import dev.vessel.storage.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pools of this daemon: {@code local} under {@code <data-dir>/pools/local}, always there, plus directory pools the
 * user added (kept in the store). A volume name is unique across all pools, so a volume is named by its name alone.
 */
public final class Pools {
    public static final String DEFAULT = "local";

    private final Database db;
    private final Path dataDir;
    private final Path instancesDir;
    private final ImageTool qemuImg;
    private final ProcessRunner proc;
    private final Clock clock;
    private final Map<String, StoragePool> pools = new LinkedHashMap<>();

    public Pools(Database db, Path dataDir, Path instancesDir, ImageTool qemuImg, ProcessRunner proc, Clock clock) {
        this.db = db;
        this.dataDir = dataDir;
        this.instancesDir = instancesDir;
        this.qemuImg = qemuImg;
        this.proc = proc;
        this.clock = clock;
        pools.put(DEFAULT, new DirectoryPool(DEFAULT, dataDir.resolve("pools").resolve(DEFAULT), qemuImg, proc));
        db.read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT name, driver, location FROM pools ORDER BY name")) {
                while (rs.next()) {
                    pools.put(
                            rs.getString(1),
                            new DirectoryPool(rs.getString(1), Path.of(rs.getString(3)), qemuImg, proc));
                }
            }
            return null;
        });
    }

    public synchronized List<StoragePool> all() {
        return List.copyOf(pools.values());
    }

    public synchronized StoragePool get(String name) {
        StoragePool p = pools.get(name == null ? DEFAULT : name);
        if (p == null) {
            throw VesselException.notFound("pool", name);
        }
        return p;
    }

    /** The pool that has the volume, and the volume. */
    public record Found(StoragePool pool, Volume volume) {}

    public Optional<Found> find(String volume) {
        for (StoragePool p : all()) {
            var v = p.find(volume);
            if (v.isPresent()) {
                return Optional.of(new Found(p, v.get()));
            }
        }
        return Optional.empty();
    }

    public Found require(String volume) {
        return find(volume).orElseThrow(() -> VesselException.notFound("volume", volume));
    }

    /**
     * Adds a directory pool. Its directory must be absolute, outside the data dir's own trees, and on the same file
     * system as the VMs' directories: VMs reach volumes through hard links (checked here by making one).
     */
    public synchronized StoragePool addDirectory(String name, String location) {
        Names.requireValid("name", name);
        if (pools.containsKey(name)) {
            throw VesselException.exists("pool", name);
        }
        if (location == null || !location.startsWith("/") || location.contains(",") || location.indexOf('\0') >= 0) {
            throw VesselException.invalid("path", "an absolute directory path without commas is required");
        }
        Path dir = Path.of(location).normalize();
        for (StoragePool p : pools.values()) {
            Path other = Path.of(p.info().location());
            if (dir.startsWith(other) || other.startsWith(dir)) {
                throw VesselException.invalid("path", dir + " overlaps pool '" + p.name() + "' at " + other);
            }
        }
        if (dir.startsWith(dataDir) && !dir.startsWith(dataDir.resolve("pools"))) {
            throw VesselException.invalid(
                    "path",
                    dir + " lies inside the daemon's own data; use " + dataDir.resolve("pools")
                            + "/NAME or a directory elsewhere");
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".link-probe", "");
            Path link = instancesDir.resolve(".link-probe-" + probe.getFileName());
            try {
                Files.createLink(link, probe);
            } catch (IOException e) {
                throw VesselException.invalid(
                        "path",
                        dir + " is not on the file system of " + instancesDir
                                + ", so VMs could not reach its volumes (they are hard-linked into the VM's directory)");
            } finally {
                Files.deleteIfExists(link);
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir, e);
        }
        var pool = new DirectoryPool(name, dir, qemuImg, proc);
        db.write(c -> {
            try (var ps =
                    c.prepareStatement("INSERT INTO pools(name, driver, location, created_at) VALUES (?,?,?,?)")) {
                ps.setString(1, name);
                ps.setString(2, pool.driver());
                ps.setString(3, dir.toString());
                ps.setString(4, clock.instant().toString());
                ps.executeUpdate();
            }
            return null;
        });
        pools.put(name, pool);
        return pool;
    }

    /** Forgets an empty pool (its directory stays). The default pool stays. */
    public synchronized void remove(String name) {
        StoragePool p = get(name);
        if (name.equals(DEFAULT)) {
            throw VesselException.state("the default pool '" + DEFAULT + "' cannot be removed");
        }
        if (!p.list().isEmpty()) {
            throw VesselException.inUse(
                    "pool '" + name + "' still has " + p.list().size() + " volume(s)");
        }
        db.write(c -> {
            try (var ps = c.prepareStatement("DELETE FROM pools WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
        pools.remove(name);
    }

    /** Every pool's backups directory. */
    public List<Path> backupDirs() {
        var out = new ArrayList<Path>();
        all().forEach(p -> p.backupsDir().ifPresent(out::add));
        return out;
    }
}
