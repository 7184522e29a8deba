package dev.vessel.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import dev.vessel.http.HttpRequest;
import dev.vessel.http.HttpResponse;
import java.io.IOException;
import java.util.stream.Collectors;

/** Reads JSON request bodies strictly and writes JSON answers. */
final class Bodies {
    private Bodies() {}

    static <T> T read(HttpRequest req, Class<T> type) {
        if (req.body().length == 0) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        String ct = req.header("Content-Type").orElse("application/json");
        if (!ct.startsWith("application/json")) {
            throw new VesselException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "send application/json, not " + ct);
        }
        try {
            T value = Json.MAPPER.readValue(req.body(), type);
            if (value == null) {
                throw VesselException.invalid("body", "a JSON object is required, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw VesselException.invalid(
                    e.getPropertyName(),
                    "unknown field; known fields: "
                            + e.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .collect(Collectors.joining(", ")));
        } catch (InvalidFormatException e) {
            throw VesselException.invalid(
                    path(e),
                    "'" + e.getValue() + "' is not a valid " + e.getTargetType().getSimpleName());
        } catch (MismatchedInputException e) {
            throw VesselException.invalid(
                    path(e).isEmpty() ? "body" : path(e),
                    "wrong JSON type: " + e.getOriginalMessage().split("\n")[0]);
        } catch (com.fasterxml.jackson.core.exc.InputCoercionException e) {
            String field = fieldOf(e);
            throw VesselException.invalid(
                    field == null ? "body" : field,
                    "number out of range: " + e.getOriginalMessage().split("\n")[0]);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            if (e.getCause() instanceof VesselException ve) {
                throw ve;
            }
            String field = pathOf(e);
            throw VesselException.invalid(
                    field.isEmpty() ? "body" : field,
                    "invalid value: " + e.getOriginalMessage().split("\n")[0]);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof VesselException ve) {
                throw ve;
            }
            throw VesselException.invalid(
                    "body", "not valid JSON: " + e.getOriginalMessage().split("\n")[0]);
        } catch (IOException e) {
            throw VesselException.invalid("body", "cannot read the body: " + e.getMessage());
        }
    }

    private static String fieldOf(com.fasterxml.jackson.core.exc.StreamReadException e) {
        try {
            return e.getProcessor() == null ? null : e.getProcessor().currentName();
        } catch (IOException ex) {
            return null;
        }
    }

    private static String path(MismatchedInputException e) {
        return pathOf(e);
    }

    private static String pathOf(com.fasterxml.jackson.databind.JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    static HttpResponse json(int status, Object value) {
        return HttpResponse.json(status, Json.bytes(value));
    }

    static HttpResponse ok(Object value) {
        return json(200, value);
    }
}
