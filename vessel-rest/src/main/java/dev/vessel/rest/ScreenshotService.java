package dev.vessel.rest;

import dev.vessel.access.Need;
import dev.vessel.engine.service.Consoles;
import dev.vessel.http.HttpResponse;
import dev.vessel.http.HttpService;
import dev.vessel.http.Router;
import java.util.Map;

/**
 * What a VM's screen shows now, as PNG (QEMU's {@code screendump}): for a look without opening the console, for
 * scripts that wait on an installer's screen, and for checking that what noVNC draws is the VM's screen. It shows
 * what the console shows, so it needs VM.Console.
 */
public final class ScreenshotService implements HttpService {
    private final Consoles consoles;

    public ScreenshotService(Consoles consoles) {
        this.consoles = consoles;
    }

    @Override
    public void routing(Router r) {
        r.get(
                "/api/v1/instances/{name}/screenshot",
                Need.instance(Need.Action.CONSOLE),
                req -> new HttpResponse.Full(
                        200,
                        "image/png",
                        consoles.screenshot(req.pathParam("name")),
                        Map.of("Cache-Control", "no-store")));
    }
}
