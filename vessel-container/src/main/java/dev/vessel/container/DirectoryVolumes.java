package dev.vessel.container;

import dev.vessel.core.model.IdRange;
import dev.vessel.core.model.Names;
import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Named volumes as plain directories under one root, {@code <data-dir>/container-volumes/<name>}. */
public final class DirectoryVolumes implements ContainerVolumes {
    private final Path root;

    public DirectoryVolumes(Path root) {
        this.root = root;
    }

    @Override
    public Path mountSource(String name) {
        Path dir = root.resolve(Names.requireValid("volume", name));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume " + name, e);
        }
        return dir;
    }

    @Override
    public Path mountSource(String name, IdRange owner) {
        boolean existed = Files.isDirectory(root.resolve(Names.requireValid("volume", name)));
        Path dir = mountSource(name);
        if (!existed && owner != null) {
            IdShift.chown(dir, owner.toHost(0), owner.toHost(0));
        }
        return dir;
    }

    @Override
    public List<String> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(Names::isValid)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    @Override
    public void remove(String name) {
        AtomicFiles.deleteTree(root.resolve(Names.requireValid("volume", name)));
    }
}
