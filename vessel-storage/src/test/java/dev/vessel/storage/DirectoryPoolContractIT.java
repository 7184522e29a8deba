package dev.vessel.storage;

import dev.vessel.host.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The directory pool passes the pool contract with the real qemu-img. */
@EnabledIfSystemProperty(named = "vessel.it", matches = "true")
class DirectoryPoolContractIT extends StoragePoolContract {
    private Path base;

    @Override
    protected StoragePool newPool() throws Exception {
        base = Files.createTempDirectory(Path.of("/tmp"), "vs-");
        return new DirectoryPool("local", base.resolve("pool"), qemuImg, proc);
    }

    @Override
    protected Path vmDir() throws Exception {
        return Files.createDirectories(base.resolve("vm/volumes"));
    }

    @Override
    protected Path scratch() throws Exception {
        return Files.createDirectories(base.resolve("scratch"));
    }

    @Override
    protected void leaveInterruptedWrite(StoragePool pool, String volume) throws Exception {
        Files.writeString(
                ((DirectoryPool) pool).root().resolve("." + volume + ".raw" + DirectoryPool.PARTIAL), "half a volume");
    }

    @Override
    protected void unexpose(Path exposed) throws Exception {
        Files.delete(exposed);
    }

    @AfterEach
    void clean() {
        AtomicFiles.deleteTree(base);
    }
}
