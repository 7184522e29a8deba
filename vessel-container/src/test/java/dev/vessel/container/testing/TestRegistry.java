package dev.vessel.container.testing;

import dev.vessel.image.oci.MediaTypes;
import dev.vessel.image.testing.RegistryProcess;
import java.nio.file.Path;

/** {@link RegistryProcess} with a push for the images {@link TestImage} builds (as OCI manifests). */
public final class TestRegistry implements AutoCloseable {
    private final RegistryProcess registry;

    public TestRegistry(Path dir) throws Exception {
        registry = new RegistryProcess(dir);
    }

    /** With htpasswd auth: every request needs these Basic credentials; the pushes here send them. */
    public TestRegistry(Path dir, String user, String password) throws Exception {
        registry = new RegistryProcess(dir, user, password);
    }

    /** host:port, the first part of the references pushed here. */
    public String host() {
        return registry.host();
    }

    public void push(String repository, String tag, TestImage.Built img) throws Exception {
        registry.pushBlob(repository, img.config());
        for (TestImage.Layer l : img.layers()) {
            registry.pushBlob(repository, l.blob());
        }
        registry.pushManifest(repository, tag, img.manifest(), MediaTypes.OCI_MANIFEST);
    }

    @Override
    public void close() throws InterruptedException {
        registry.close();
    }
}
