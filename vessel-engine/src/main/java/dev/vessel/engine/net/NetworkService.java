package dev.vessel.engine.net;

import dev.vessel.core.model.ProjectKey;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.service.Networks;
import dev.vessel.model.LeaseView;
import dev.vessel.model.NetworkCreateRequest;
import dev.vessel.model.NetworkDetail;
import dev.vessel.model.NetworkSummary;
import dev.vessel.model.NetworkView;
import dev.vessel.model.NicRequest;
import dev.vessel.model.NicView;
import dev.vessel.model.PortView;
import dev.vessel.net.Lease;
import dev.vessel.net.NetworkInfo;
import dev.vessel.net.NetworkSpec;
import dev.vessel.net.PortForward;
import java.util.List;
import java.util.Map;

/** {@link Networks}: networks, ports and NICs; every change goes to the event stream as lifecycle changes do. */
public final class NetworkService implements Networks {
    private final NetworkParts parts;
    private final EventBus events;

    public NetworkService(NetworkParts parts, EventBus events) {
        this.parts = parts;
        this.events = events;
    }

    static NetworkView view(NetworkSpec s) {
        var key = ProjectKey.parse(s.name());
        return new NetworkView(
                key.name(),
                key.project(),
                s.subnet().toString(),
                s.gateway().toString(),
                s.nat(),
                s.isolated(),
                s.peers().stream().map(ProjectKey::nameOf).toList());
    }

    static PortView view(PortForward f) {
        return new PortView(
                f.hostIp() == null ? null : f.hostIp().toString(),
                f.hostPort(),
                f.protocol().toString(),
                f.targetInstance(),
                f.targetPort());
    }

    static LeaseView view(Lease l) {
        return new LeaseView(
                ProjectKey.nameOf(l.network()),
                l.address().toString(),
                new LeaseView.Owner(l.owner().instanceId(), l.owner().nic()),
                l.mac().toString(),
                l.hostname());
    }

    @Override
    public List<NetworkSummary> list(String project) {
        return project == null ? parts.networks().list() : parts.networks().list(project);
    }

    @Override
    public String key(String project, String name) {
        return parts.scopes().networkKey(project, name);
    }

    @Override
    public NetworkView create(String project, NetworkCreateRequest r) {
        var spec = parts.networks().create(project, r);
        events.publish("network-created", "network", spec.name(), Map.of("subnet", String.valueOf(spec.subnet())));
        return view(spec);
    }

    @Override
    public NetworkDetail inspect(String name) {
        NetworkInfo i = parts.networks().inspect(name);
        return new NetworkDetail(
                view(i.spec()),
                i.bridge(),
                i.bridgePresent(),
                i.dnsmasqPid(),
                i.leases().stream().map(NetworkService::view).toList(),
                i.forwards().stream().map(NetworkService::view).toList());
    }

    @Override
    public void remove(String name) {
        parts.networks().remove(name);
        events.publish("network-removed", "network", name, Map.of());
    }

    @Override
    public List<PortView> ports() {
        return parts.ports().list().stream().map(NetworkService::view).toList();
    }

    @Override
    public PortView publish(String instance, String spec) {
        var added = parts.ports().add(instance, spec);
        events.publish("port-added", null, instance, Map.of("port", spec));
        return view(added);
    }

    @Override
    public PortView unpublish(String hostIp, int hostPort, String protocol) {
        var gone = parts.ports().remove(hostIp, hostPort, protocol);
        events.publish("port-removed", null, gone.targetInstance(), Map.of("hostPort", gone.hostPort()));
        return view(gone);
    }

    @Override
    public List<NicView> nics(String vm) {
        return parts.nics().list(vm);
    }

    @Override
    public NicView addNic(String vm, NicRequest r) {
        var nic = parts.nics().add(vm, r);
        events.publish("nic-added", null, vm, Map.of("network", nic.network(), "index", nic.index()));
        return nic;
    }

    @Override
    public void removeNic(String vm, int index) {
        parts.nics().remove(vm, index);
        events.publish("nic-removed", null, vm, Map.of("index", index));
    }
}
