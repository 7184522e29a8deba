package dev.vessel.core.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vessel.core.driver.fake.FakeHost;
import dev.vessel.core.driver.fake.FakeInstanceDriver;
import dev.vessel.core.driver.fake.FakeInstances;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;

/** The fake driver the engine's tests run on keeps the same promises as QEMU's and runc's. */
class FakeInstanceDriverContractTest extends InstanceDriverContract {
    private final FakeHost host = new FakeHost();

    @Override
    protected InstanceDriver newDriver() {
        return new FakeInstanceDriver(InstanceKind.VM, host, events);
    }

    @Override
    protected Instance newInstance() {
        return FakeInstances.vm("fake-" + FakeInstances.newId());
    }

    @Override
    protected boolean processAlive(long pid) {
        return host.alive(pid);
    }

    @Override
    protected void assertNothingLeft(Instance instance) {
        assertThat(host.hasLeftovers(instance.id())).isFalse();
        assertThat(host.workload(instance.id())).isEmpty();
    }
}
