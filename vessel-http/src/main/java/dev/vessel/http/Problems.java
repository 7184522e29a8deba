package dev.vessel.http;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.host.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders errors as RFC 9457 problem+json. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    public static HttpResponse.Full of(VesselException e, String instance) {
        return of(e.type(), e.getMessage(), e.details(), instance);
    }

    public static HttpResponse.Full of(ProblemType type, String detail, Map<String, Object> extra, String instance) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        body.put("code", type.code());
        extra.forEach(body::putIfAbsent);
        var headers = type == ProblemType.METHOD_NOT_ALLOWED && extra.containsKey("allow")
                ? Map.of("Allow", String.valueOf(extra.get("allow")))
                : type == ProblemType.UNAUTHORIZED
                        ? Map.of("WWW-Authenticate", "Bearer realm=\"vessel\"")
                        : Map.<String, String>of();
        return new HttpResponse.Full(type.status(), MEDIA_TYPE, Json.bytes(body), headers);
    }
}
