package dev.vessel.docker;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import dev.vessel.http.HttpResponse;
import java.util.Map;

/**
 * Docker's error answers: {@code {"message": "..."}} with dockerd's status codes, which clients act on (a 404 from
 * create makes the CLI pull; a 304 from stop means it was stopped already; a 409 is a conflict).
 */
final class DockerErrors {
    private DockerErrors() {}

    static HttpResponse.Full render(VesselException e, String path) {
        int status = switch (e.type()) {
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, INVALID_STATE, IN_USE, QUOTA_EXCEEDED -> 409;
            case INVALID_INPUT, PAYLOAD_TOO_LARGE, HEADERS_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE -> 400;
            default -> e.type().status();
        };
        var headers = e.type() == ProblemType.METHOD_NOT_ALLOWED && e.details().containsKey("allow")
                ? Map.of("Allow", String.valueOf(e.details().get("allow")))
                : Map.<String, String>of();
        return new HttpResponse.Full(status, "application/json", Json.bytes(Map.of("message", message(e))), headers);
    }

    /** The engine's sentence, without the field prefix our own API puts in details. */
    private static String message(VesselException e) {
        String m = e.getMessage() == null ? e.type().title() : e.getMessage();
        if (e.type() == ProblemType.NOT_FOUND
                && e.getMessage() != null
                && e.getMessage().startsWith("no route")) {
            return "page not found";
        }
        return m;
    }

    static VesselException noSuchContainer(String ref) {
        return new VesselException(ProblemType.NOT_FOUND, "No such container: " + ref);
    }

    static VesselException noSuchImage(String ref) {
        return new VesselException(ProblemType.NOT_FOUND, "No such image: " + ref);
    }

    static VesselException invalid(String message) {
        return new VesselException(ProblemType.INVALID_INPUT, message);
    }

    static VesselException conflict(String message) {
        return new VesselException(ProblemType.INVALID_STATE, message);
    }
}
