package dev.vessel.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.vessel.host.AtomicFiles;
import dev.vessel.host.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Leases in one JSON file. Every operation reads the file, decides, and replaces it atomically (write to a temporary
 * file, fsync, rename), holding a per-file lock of this JVM and an flock on a sibling lock file, so a second store
 * object or a second process on the same file sees every committed lease and never half of a write.
 */
public final class JsonFileIpamStore implements IpamStore {
    private static final TypeReference<List<Lease>> LEASES = new TypeReference<>() {};

    private final Path file;
    private final Path lockFile;
    /**
     * flock excludes other processes only: the JVM refuses a second lock on a file it already holds (and two store
     * objects may share one), so threads of this process first take a lock per file.
     */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final ReentrantLock lock;

    public JsonFileIpamStore(Path file) {
        this.file = file.toAbsolutePath();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.lock = LOCKS.computeIfAbsent(this.file.normalize(), p -> new ReentrantLock());
    }

    @Override
    public Reservation reserve(Lease lease) {
        return locked(leases -> {
            Reservation r = Reservation.decide(leases, lease);
            if (r instanceof Reservation.Reserved) {
                leases.add(lease);
                save(leases);
            }
            return r;
        });
    }

    @Override
    public Optional<Lease> release(LeaseOwner owner) {
        return locked(leases -> {
            Optional<Lease> gone =
                    leases.stream().filter(l -> l.owner().equals(owner)).findFirst();
            if (gone.isPresent()) {
                leases.remove(gone.get());
                save(leases);
            }
            return gone;
        });
    }

    @Override
    public List<Lease> list() {
        return locked(leases -> leases.stream().sorted(InMemoryIpamStore.ORDER).toList());
    }

    private <T> T locked(Function<List<Lease>, T> action) {
        lock.lock();
        try {
            Files.createDirectories(file.getParent());
            try (var ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    var flock = ch.lock()) {
                return action.apply(load());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use lease file " + file, e);
        } finally {
            lock.unlock();
        }
    }

    private List<Lease> load() throws IOException {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        try {
            return new ArrayList<>(Json.MAPPER.readValue(Files.readString(file), LEASES));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lease file " + file + " is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private void save(List<Lease> leases) {
        AtomicFiles.writePrivate(
                file,
                Json.pretty(leases.stream().sorted(InMemoryIpamStore.ORDER).toList()) + "\n");
    }
}
