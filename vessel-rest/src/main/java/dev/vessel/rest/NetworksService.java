package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.access.Privilege;
import dev.vessel.core.error.VesselException;
import dev.vessel.engine.service.Networks;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import dev.vessel.model.NetworkCreateRequest;
import dev.vessel.model.NicRequest;
import dev.vessel.model.PortRequest;

/**
 * Managed networks, published ports and the NICs of VMs. A network lives in a project (its own with
 * {@code features.networks}, else the default one): names in paths are read there by the router, names in bodies
 * here and in the engine.
 */
public final class NetworksService implements HttpService {
    private final Networks net;

    public NetworksService(Networks net) {
        this.net = net;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/api/v1/networks",
                Need.loggedIn(),
                req -> Bodies.ok(Visible.only(
                        net.list(req.queryFlag("all-projects") ? null : req.project()),
                        n -> Visible.object(req.caller(), Privilege.NETWORK_AUDIT, "networks", n.key()))));
        r.post(
                "/api/v1/networks",
                Need.kind(Privilege.NETWORK_ALLOCATE, "networks"),
                req -> Bodies.json(201, net.create(req.project(), Bodies.read(req, NetworkCreateRequest.class))));
        r.get(
                "/api/v1/networks/{name}",
                Need.on(Privilege.NETWORK_AUDIT, "networks"),
                req -> Bodies.ok(net.inspect(req.pathParam("name"))));
        r.delete("/api/v1/networks/{name}", Need.on(Privilege.NETWORK_ALLOCATE, "networks"), req -> {
            net.remove(req.pathParam("name"));
            return HttpResponse.noContent();
        });
        r.get("/api/v1/ports", Need.kind(Privilege.NETWORK_AUDIT, "networks"), req -> Bodies.ok(net.ports()));
        r.post("/api/v1/ports", Need.kind(Privilege.NETWORK_ALLOCATE, "networks"), req -> {
            var body = Bodies.read(req, PortRequest.class);
            return Bodies.json(
                    201, net.publish(body.instance() == null ? null : req.instanceKey(body.instance()), body.port()));
        });
        r.delete("/api/v1/ports/{hostPort}", Need.kind(Privilege.NETWORK_ALLOCATE, "networks"), req -> {
            net.unpublish(
                    req.queryParam("hostIp").orElse(null),
                    port(req.pathParam("hostPort")),
                    req.queryParam("protocol").orElse("tcp"));
            return HttpResponse.noContent();
        });
        r.get(
                "/api/v1/instances/{name}/nics",
                Need.instance(Need.Action.AUDIT),
                req -> Bodies.ok(net.nics(req.pathParam("name"))));
        r.post("/api/v1/instances/{name}/nics", Need.instance(Need.Action.CONFIG), req -> {
            var body = Bodies.read(req, NicRequest.class);
            Visible.requireNetworkUse(req.caller(), net, req.project(), body.network());
            return Bodies.json(201, net.addNic(req.pathParam("name"), body));
        });
        r.delete("/api/v1/instances/{name}/nics/{index}", Need.instance(Need.Action.CONFIG), req -> {
            net.removeNic(req.pathParam("name"), number("index", req.pathParam("index"), 63));
            return HttpResponse.noContent();
        });
    }

    private static int port(String text) {
        return number("hostPort", text, 65535);
    }

    private static int number(String field, String text, int max) {
        if (text.isEmpty()
                || text.length() > 5
                || !text.chars().allMatch(Character::isDigit)
                || Integer.parseInt(text) > max) {
            throw VesselException.invalid(field, "'" + text + "' is not a number in 0.." + max);
        }
        return Integer.parseInt(text);
    }
}
