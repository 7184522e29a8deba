package dev.vessel.rest;

import dev.vessel.engine.net.NetworkOps;
import dev.vessel.engine.net.Networks;
import dev.vessel.model.NicRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;

/** Managed networks, published ports and the NICs of VMs. */
public final class NetworksService implements HttpService {
    private final Networks net;
    private final dev.vessel.engine.event.EventBus events;

    public NetworksService(Networks net, dev.vessel.engine.event.EventBus events) {
        this.net = net;
        this.events = events;
    }

    /** Network changes go to the event stream like lifecycle changes. */
    private <T> T announce(String type, String kind, String name, java.util.Map<String, Object> data, T result) {
        events.publish(type, kind, name, data);
        return result;
    }

    /** The body of {@code POST /api/v1/ports}: the instance and {@code [HOST_IP:]HOST_PORT:PORT[/PROTO]}. */
    public record PortRequest(String instance, String port) {}

    @Override
    public void routing(Router r) {
        r.get("/api/v1/networks", req -> Bodies.ok(net.networks().list()));
        r.post("/api/v1/networks", req -> {
            var spec = net.networks().create(Bodies.read(req, NetworkOps.CreateRequest.class));
            return Bodies.json(201, announce("network-created", "network", spec.name(), java.util.Map.of("subnet", String.valueOf(spec.subnet())), spec));
        });
        r.get("/api/v1/networks/{name}", req -> Bodies.ok(net.networks().inspect(req.pathParam("name"))));
        r.delete("/api/v1/networks/{name}", req -> {
            net.networks().remove(req.pathParam("name"));
            return announce("network-removed", "network", req.pathParam("name"), java.util.Map.of(), HttpResponse.noContent());
        });
        r.get("/api/v1/ports", req -> Bodies.ok(net.ports().list()));
        r.post("/api/v1/ports", req -> {
            var body = Bodies.read(req, PortRequest.class);
            var added = net.ports().add(body.instance(), body.port());
            return Bodies.json(201, announce("port-added", null, body.instance(), java.util.Map.of("port", body.port()), added));
        });
        r.delete("/api/v1/ports/{hostPort}", req -> {
            var gone = net.ports().remove(req.queryParam("hostIp").orElse(null), port(req.pathParam("hostPort")), req.queryParam("protocol").orElse("tcp"));
            return announce("port-removed", null, gone.targetInstance(), java.util.Map.of("hostPort", gone.hostPort()), HttpResponse.noContent());
        });
        r.get("/api/v1/instances/{name}/nics", req -> Bodies.ok(net.nics().list(req.pathParam("name"))));
        r.post("/api/v1/instances/{name}/nics", req -> {
            var nic = net.nics().add(req.pathParam("name"), Bodies.read(req, NicRequest.class));
            return Bodies.json(201, announce("nic-added", null, req.pathParam("name"), java.util.Map.of("network", nic.network(), "index", nic.index()), nic));
        });
        r.delete("/api/v1/instances/{name}/nics/{index}", req -> {
            int index = number("index", req.pathParam("index"), 63);
            net.nics().remove(req.pathParam("name"), index);
            return announce("nic-removed", null, req.pathParam("name"), java.util.Map.of("index", index), HttpResponse.noContent());
        });
    }

    private static int port(String text) {
        return number("hostPort", text, 65535);
    }

    private static int number(String field, String text, int max) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit) || Integer.parseInt(text) > max) {
            throw dev.vessel.core.error.VesselException.invalid(field, "'" + text + "' is not a number in 0.." + max);
        }
        return Integer.parseInt(text);
    }
}
