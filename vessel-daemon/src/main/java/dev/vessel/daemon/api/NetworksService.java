package dev.vessel.daemon.api;

import dev.vessel.daemon.net.NetworkOps;
import dev.vessel.daemon.net.Networks;
import dev.vessel.daemon.net.NicRequest;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;

/** Managed networks, published ports and the NICs of VMs. */
public final class NetworksService implements HttpService {
    private final Networks net;

    public NetworksService(Networks net) {
        this.net = net;
    }

    /** The body of {@code POST /api/v1/ports}: the instance and {@code [HOST_IP:]HOST_PORT:PORT[/PROTO]}. */
    public record PortRequest(String instance, String port) {}

    @Override
    public void routing(Router r) {
        r.get("/api/v1/networks", req -> Bodies.ok(net.networks().list()));
        r.post("/api/v1/networks", req -> Bodies.json(201, net.networks().create(Bodies.read(req, NetworkOps.CreateRequest.class))));
        r.get("/api/v1/networks/{name}", req -> Bodies.ok(net.networks().inspect(req.pathParam("name"))));
        r.delete("/api/v1/networks/{name}", req -> {
            net.networks().remove(req.pathParam("name"));
            return HttpResponse.noContent();
        });
        r.get("/api/v1/ports", req -> Bodies.ok(net.ports().list()));
        r.post("/api/v1/ports", req -> {
            var body = Bodies.read(req, PortRequest.class);
            return Bodies.json(201, net.ports().add(body.instance(), body.port()));
        });
        r.delete("/api/v1/ports/{hostPort}", req -> {
            net.ports().remove(req.queryParam("hostIp").orElse(null), port(req.pathParam("hostPort")), req.queryParam("protocol").orElse("tcp"));
            return HttpResponse.noContent();
        });
        r.get("/api/v1/instances/{name}/nics", req -> Bodies.ok(net.nics().list(req.pathParam("name"))));
        r.post("/api/v1/instances/{name}/nics", req -> Bodies.json(201, net.nics().add(req.pathParam("name"), Bodies.read(req, NicRequest.class))));
        r.delete("/api/v1/instances/{name}/nics/{index}", req -> {
            net.nics().remove(req.pathParam("name"), number("index", req.pathParam("index"), 63));
            return HttpResponse.noContent();
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
