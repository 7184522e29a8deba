package dev.vessel.engine.container;

import dev.vessel.container.ContainerVolumes;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ContainerMount;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.Names;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.event.EventBus;
import dev.vessel.model.ContainerVolumeView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Containers' named volumes ({@code -v NAME:/path}), as {@code docker volume ls|inspect|rm|prune} shows them: each with
 * its size and the containers that mount it. A volume in use is never removed; the error names its users.
 */
public final class NamedVolumes {
    /** One volume as the API shows it. */
    private final ContainerVolumes volumes;

    private final InstanceStore instances;
    private final EventBus events;

    public NamedVolumes(ContainerVolumes volumes, InstanceStore instances, EventBus events) {
        this.volumes = volumes;
        this.instances = instances;
        this.events = events;
    }

    public List<ContainerVolumeView> list() {
        var out = new ArrayList<ContainerVolumeView>();
        for (String name : volumes.list()) {
            out.add(view(name));
        }
        return out;
    }

    public ContainerVolumeView inspect(String name) {
        Names.requireValid("volume", name);
        if (!volumes.list().contains(name)) {
            throw VesselException.notFound("volume", name);
        }
        return view(name);
    }

    public void remove(String name) {
        ContainerVolumeView v = inspect(name);
        if (!v.usedBy().isEmpty()) {
            throw VesselException.inUse("volume '" + name + "' is mounted by " + String.join(", ", v.usedBy())
                    + "; remove " + (v.usedBy().size() == 1 ? "it" : "them") + " first");
        }
        volumes.remove(name);
        events.publish("volume-removed", "container-volume", name, Map.of());
    }

    /** Removes every volume no container mounts; returns their names. */
    public List<String> prune() {
        var gone = new ArrayList<String>();
        for (ContainerVolumeView v : list()) {
            if (v.usedBy().isEmpty()) {
                volumes.remove(v.name());
                gone.add(v.name());
                events.publish("volume-removed", "container-volume", v.name(), Map.of("pruned", true));
            }
        }
        return gone;
    }

    private ContainerVolumeView view(String name) {
        Path dir = volumes.mountSource(name);
        var users = new ArrayList<String>();
        for (Instance i : instances.list()) {
            if (i.spec() instanceof ContainerSpec spec
                    && spec.mounts().stream()
                            .anyMatch(m -> m.type() == ContainerMount.Type.VOLUME && name.equals(m.source()))) {
                users.add(i.name());
            }
        }
        return new ContainerVolumeView(name, dir.toString(), dev.vessel.host.Trees.bytes(dir), users);
    }
}
