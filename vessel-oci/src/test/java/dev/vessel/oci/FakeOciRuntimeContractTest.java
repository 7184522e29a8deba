package dev.vessel.oci;

import java.nio.file.Path;

/** The fake runtime the engine's tests use keeps runc's promises. */
class FakeOciRuntimeContractTest extends OciRuntimeContract {
    private final FakeOciRuntime runtime = new FakeOciRuntime();

    @Override
    protected OciRuntime runtime() {
        return runtime;
    }

    @Override
    protected Path bundle(Path dir, String id) {
        var bundle = new OciBundle(dir);
        bundle.write(RuncRuntimeContractIT.sleeper(bundle, id));
        return dir;
    }

    @Override
    protected boolean processAlive(long pid) {
        return runtime.alive(pid);
    }
}
