package dev.vessel.http;

import dev.vessel.access.Need;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A method, a path template such as {@code /api/v1/instances/{name}/start}, and what the caller needs to call it. One
 * segment {@code {name*}} takes one path segment or more, joined by {@code /}: the rest of the path when it is the last
 * (static files), else what lies between the segments before and after it (Docker's image names, which hold slashes:
 * {@code /images/{name*}/json}).
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
        int rest = -1;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).endsWith("*}")) {
                rest = i;
            }
        }
        if (rest < 0 ? pathSegments.size() != segments.size() : pathSegments.size() < segments.size()) {
            return null;
        }
        // With a {name*} segment, the segments after it match the path's last ones and it takes what is between.
        int after = segments.size() - rest - 1;
        Map<String, String> params = null;
        for (int i = 0; i < segments.size(); i++) {
            String t = segments.get(i);
            if (i == rest) {
                if (params == null) {
                    params = new HashMap<>();
                }
                params.put(
                        t.substring(1, t.length() - 2),
                        String.join("/", pathSegments.subList(i, pathSegments.size() - after)));
                continue;
            }
            String p = rest >= 0 && i > rest
                    ? pathSegments.get(pathSegments.size() - (segments.size() - i))
                    : pathSegments.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
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
