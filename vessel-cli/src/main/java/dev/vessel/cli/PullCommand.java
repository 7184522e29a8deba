package dev.vessel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vessel.model.ImageRequest;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        description = {
            "Pull an OCI image from a registry (OCI or Docker; manifest lists are resolved for this host's platform).",
            "  vessel pull busybox:1.36",
            "  vessel pull 127.0.0.1:5000/team/app@sha256:..."
        })
final class PullCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "REF")
    String ref;

    @Override
    public Integer call() {
        JsonNode img = pull(api(), ref, err(), json());
        if (json()) {
            Output.json(out(), img);
        } else {
            out().println(ref + " " + img.path("id").asText().substring(7, 19));
        }
        return ExitCodes.OK;
    }

    /** Pulls with layer bars and returns the image. */
    static JsonNode pull(Api api, String ref, PrintStream err, boolean quiet) {
        JsonNode task = api.send("/api/v1/oci-images/pull", new ImageRequest(ref, null, null));
        if (!quiet) {
            err.println("Pulling " + ref);
        }
        LayerBars.follow(api, task, err, quiet);
        return api.get("/api/v1/oci-images/inspect?ref=" + Api.enc(ref));
    }
}
