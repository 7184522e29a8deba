package dev.vessel.http;

import dev.vessel.access.Need;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A method, a path template such as {@code /api/v1/instances/{name}/start}, and what the caller needs to call it. A
 * last segment {@code {name*}} takes the rest of the path, one segment or more, joined by {@code /} (static files).
 */
public record Route(String method, String template, Need need, Handler handler, List<String> segments) {
    public static Route of(String method, String template, Need need, Handler handler) {
        if (need == null) {
            throw new IllegalArgumentException(method + " " + template + " declares no Need");
        }
        var segs = new ArrayList<String>();
        for (String s : template.split("/")) {
            if (!s.isEmpty()) {
                segs.add(s);
            }
        }
        return new Route(method, template, need, handler, List.copyOf(segs));
    }

    /** The path parameters if the path matches the template, or null. */
    Map<String, String> match(List<String> pathSegments) {
        boolean tail = !segments.isEmpty() && segments.getLast().endsWith("*}");
        if (tail ? pathSegments.size() < segments.size() : pathSegments.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.size(); i++) {
            String t = segments.get(i);
            String p = pathSegments.get(i);
            if (tail && i == segments.size() - 1) {
                if (params == null) {
                    params = new HashMap<>();
                }
                params.put(
                        t.substring(1, t.length() - 2), String.join("/", pathSegments.subList(i, pathSegments.size())));
            } else if (t.startsWith("{") && t.endsWith("}")) {
                if (params == null) {
                    params = new HashMap<>();
                }
                params.put(t.substring(1, t.length() - 1), p);
            } else if (!t.equals(p)) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }
}
