package dev.vessel.image.layer;

import java.util.ArrayList;
import java.util.List;

/**
 * A tar entry name split into clean components. Rejects, rather than repairs, names that try to leave the root:
 * an absolute name or a {@code ..} component is never legitimate in an image layer.
 */
record EntryPath(String raw, List<String> components) {

    static EntryPath parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw UnsafeArchive.entry(String.valueOf(raw), "empty name");
        }
        if (raw.indexOf('\0') >= 0) {
            throw UnsafeArchive.entry(raw, "the name contains a NUL byte");
        }
        if (raw.startsWith("/")) {
            throw UnsafeArchive.entry(raw, "absolute paths are not allowed in a layer");
        }
        List<String> out = new ArrayList<>();
        for (String c : raw.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw UnsafeArchive.entry(raw, "'..' would leave the root");
            }
            out.add(c);
        }
        return new EntryPath(raw, List.copyOf(out));
    }

    boolean isRoot() {
        return components.isEmpty();
    }

    String name() {
        return components.getLast();
    }

    List<String> parent() {
        return components.subList(0, components.size() - 1);
    }

    String relative() {
        return String.join("/", components);
    }
}
