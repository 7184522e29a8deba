package dev.vessel.http;

import dev.vessel.core.error.ProblemType;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/** What Jetty itself refuses (a malformed request, a head too large, a body too slow) answered as problem+json too. */
final class ProblemErrorHandler implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        ProblemType type = switch (status) {
            case 400 -> ProblemType.INVALID_INPUT;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 408 -> ProblemType.REQUEST_TIMEOUT;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 431 -> ProblemType.HEADERS_TOO_LARGE;
            case 503 -> ProblemType.UNAVAILABLE;
            // 505 is Jetty's word for a request line that is not HTTP/1.x at all ("HTTP/0.9"): malformed, to us.
            default -> status < 500 || status == 505 ? ProblemType.INVALID_INPUT : ProblemType.INTERNAL;
        };
        String detail = message == null ? type.title() : "malformed or refused HTTP request: " + message;
        var problem = Problems.of(type, detail, Map.of(), null);
        response.setStatus(type.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, problem.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, problem.body().length);
        response.write(true, ByteBuffer.wrap(problem.body()), callback);
        return true;
    }
}
