package dev.vessel.core.error;

/**
 * The stable problem types of the API. The {@code code} is part of the public contract: clients match on
 * {@link #uri()}, never on the message text.
 */
public enum ProblemType {
    INVALID_INPUT("invalid-input", 400, "Invalid input"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    FORBIDDEN("forbidden", 403, "Permission denied"),
    TOO_MANY_REQUESTS("too-many-requests", 429, "Too many requests"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    ALREADY_EXISTS("already-exists", 409, "Already exists"),
    INVALID_STATE("invalid-state", 409, "Invalid state"),
    IN_USE("in-use", 409, "In use"),
    QUOTA_EXCEEDED("quota-exceeded", 409, "Quota exceeded"),
    REQUEST_TIMEOUT("request-timeout", 408, "Request timeout"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    HEADERS_TOO_LARGE("headers-too-large", 431, "Request header fields too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    TIMEOUT("timeout", 504, "Timed out"),
    HOST_COMMAND_FAILED("host-command-failed", 500, "Host command failed"),
    UNAVAILABLE("unavailable", 503, "Unavailable"),
    INTERNAL("internal", 500, "Internal error");

    private final String code;
    private final int status;
    private final String title;

    ProblemType(String code, int status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return "urn:vessel:problem:" + code;
    }

    public static ProblemType fromUri(String uri) {
        for (ProblemType t : values()) {
            if (t.uri().equals(uri)) {
                return t;
            }
        }
        return INTERNAL;
    }
}
