package dev.vessel.image;

import dev.vessel.image.testing.RegistryProcess;
import java.nio.file.Path;

/** {@link RegistryProcess} with a push for the images {@link TestImages} builds. */
final class RealRegistry implements AutoCloseable {
    private final RegistryProcess registry;
    final String host;

    RealRegistry(Path dir) throws Exception {
        registry = new RegistryProcess(dir);
        host = registry.host();
    }

    void pushManifest(String name, String ref, byte[] body, String mediaType) throws Exception {
        registry.pushManifest(name, ref, body, mediaType);
    }

    void push(String name, String tag, TestImages.Built img, String manifestType) throws Exception {
        registry.pushBlob(name, img.config());
        for (TestImages.Layer l : img.layers()) {
            registry.pushBlob(name, l.blob());
        }
        registry.pushManifest(name, tag, img.manifest(), manifestType);
    }

    @Override
    public void close() throws InterruptedException {
        registry.close();
    }
}
