package dev.vessel.rest;

import dev.vessel.model.ContainerCreateRequest;
import dev.vessel.model.InstanceView;

import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceKind;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.container.Containers;
import dev.vessel.engine.instance.Drivers;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;

/** Containers: create and list (the lifecycle, inspect and logs are the instance routes both kinds share). */
public final class ContainersService implements HttpService {
    private final InstanceStore store;
    private final Drivers drivers;
    private final Containers containers;
    private final java.util.function.Function<Instance, java.util.List<dev.vessel.model.NicView>> nics;

    public ContainersService(InstanceStore store, Drivers drivers, Containers containers) {
        this(store, drivers, containers, i -> java.util.List.of());
    }

    /** @param nics a container's NIC and address, shown as for every instance */
    private java.util.function.UnaryOperator<Instance> created = i -> i;

    /** Announces each new container (the event stream's "created"). */
    public ContainersService announcing(java.util.function.UnaryOperator<Instance> created) {
        this.created = created;
        return this;
    }

    public ContainersService(InstanceStore store, Drivers drivers, Containers containers,
            java.util.function.Function<Instance, java.util.List<dev.vessel.model.NicView>> nics) {
        this.nics = nics;
        this.store = store;
        this.drivers = drivers;
        this.containers = containers;
    }

    @Override
    public void routing(Router r) {
        r.get("/api/v1/containers", req -> Bodies.ok(store.list().stream().filter(i -> i.kind() == InstanceKind.CONTAINER).map(this::view).toList()));
        r.post("/api/v1/containers", req -> Bodies.json(201, view(created.apply(containers.creator().create(Bodies.read(req, ContainerCreateRequest.class))))));
    }

    private InstanceView view(Instance i) {
        var usage = i.state().active() ? drivers.of(i.kind()).usage(i).orElse(null) : null;
        return InstanceView.of(i, usage, nics.apply(i));
    }
}
