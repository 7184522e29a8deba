package dev.vessel.qemu;

/** The fake image tool the engine's storage tests use keeps qemu-img's promises. */
class FakeImageToolContractTest extends ImageToolContract {
    private final FakeImageTool tool = new FakeImageTool();

    @Override
    protected ImageTool tool() {
        return tool;
    }
}
