package dev.vessel.qemu.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vessel.host.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The QMP wire format of requests and replies, apart from the connection that carries them. */
final class QmpMessages {
    private QmpMessages() {}

    /** One request line: {@code {"execute": ..., "arguments": ..., "id": ...}} and a newline. */
    static byte[] request(String command, Map<String, ?> arguments, long id) {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("execute", command);
        if (arguments != null && !arguments.isEmpty()) {
            request.set("arguments", Json.MAPPER.valueToTree(arguments));
        }
        request.put("id", id);
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(request);
            byte[] line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise arguments of QMP command '" + command + "'", e);
        }
    }

    /** The {@code return} member of a reply, or the QMP {@code error} as an exception. */
    static JsonNode returnValue(String command, JsonNode message) {
        JsonNode error = message.get("error");
        if (error != null) {
            throw new QmpCommandException(
                    command,
                    error.path("class").asText("GenericError"),
                    error.path("desc").asText(""));
        }
        return message.path("return");
    }

    /** The start of a raw message for log lines; a whole schema reply would drown the log. */
    static String preview(byte[] buf, int offset, int length) {
        String s = new String(buf, offset, Math.min(length, 200), StandardCharsets.UTF_8);
        return length > 200 ? s + "... (" + length + " bytes)" : s;
    }
}
