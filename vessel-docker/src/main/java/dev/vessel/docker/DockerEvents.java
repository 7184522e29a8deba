package dev.vessel.docker;

import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.model.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's events as Docker's: each with its {@code Type}, {@code Action} and {@code Actor} (id and attributes:
 * the image, the name, the labels, the exit code of a {@code die}), and for containers and images also the legacy
 * {@code status}, {@code id} and {@code from} that docker-py and compose 1.29 read. One engine event may be two
 * Docker events: a stop that was asked for is {@code die} then {@code stop}, an OOM kill {@code oom} then {@code die}.
 */
final class DockerEvents {
    /** What a container was, for events about it once it is gone (a {@code destroy}). */
    record Actor(String id, String name, String image, Map<String, String> labels) {
        static Actor of(Instance i) {
            String image = i.spec() instanceof ContainerSpec c ? ImageRefs.display(c.image()) : "vm";
            return new Actor(i.id(), ContainerRefs.dockerName(i), image, ContainerRefs.labels(i));
        }

        /** The container as its {@code created} event describes it (the instance may be gone). */
        static Actor created(Event e) {
            var labels = new java.util.TreeMap<String, String>();
            if (e.data().get("labels") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
            }
            String name = labels.containsKey(ContainerRefs.NAME_LABEL)
                    ? labels.remove(ContainerRefs.NAME_LABEL)
                    : dev.vessel.core.model.ProjectKey.nameOf(e.name());
            String image = e.data().get("image") instanceof String s ? ImageRefs.display(s) : "vm";
            return new Actor(String.valueOf(e.data().get("id")), name, image, labels);
        }
    }

    private static final Set<String> INSTANCE_KINDS = Set.of("container", "vm");

    private DockerEvents() {}

    /** The Docker events of {@code e}; {@code actor} is the instance it is about (null if none or unknown). */
    static List<Map<String, Object>> of(Event e, Actor actor) {
        var out = new ArrayList<Map<String, Object>>();
        if (e.kind() != null && INSTANCE_KINDS.contains(e.kind())) {
            if (actor == null) {
                return out;
            }
            for (String action : containerActions(e)) {
                var attrs = new LinkedHashMap<String, Object>(actor.labels());
                attrs.put("image", actor.image());
                attrs.put("name", actor.name());
                if (action.equals("die")) {
                    attrs.put("exitCode", String.valueOf(exitCode(e)));
                }
                var m = event("container", action, actor.id(), attrs, e);
                m.put("status", action);
                m.put("id", actor.id());
                m.put("from", actor.image());
                out.add(reorder(m));
            }
            return out;
        }
        String ref = e.name();
        switch (e.type()) {
            case "image-pulled" -> out.add(image("pull", ref, e));
            case "image-tagged" -> out.add(image("tag", ref, e));
            case "image-untagged" -> out.add(image("untag", ref, e));
            case "image-removed" -> out.add(image("delete", ref, e));
            case "image-loaded", "image-imported" -> out.add(image("load", ref, e));
            case "network-created" -> out.add(event("network", "create", e.name(), Map.of("name", e.name()), e));
            case "network-removed" -> out.add(event("network", "destroy", e.name(), Map.of("name", e.name()), e));
            case "volume-created", "volume-removed" -> {
                if ("container-volume".equals(e.kind())) {
                    String action = e.type().equals("volume-created") ? "create" : "destroy";
                    out.add(event("volume", action, e.name(), Map.of("driver", "local"), e));
                }
            }
            default -> {
                // tasks, snapshots, projects and the rest have no Docker event
            }
        }
        return out;
    }

    /** The Docker actions of an instance event, in the order dockerd emits them. */
    static List<String> containerActions(Event e) {
        return switch (e.type()) {
            case "created" -> List.of("create");
            case "started" -> List.of("start");
            case "paused" -> List.of("pause");
            case "resumed" -> List.of("unpause");
            case "removed" -> List.of("destroy");
            case "oom" -> List.of("oom", "die");
            case "crashed" -> List.of("die");
            case "stopped" -> {
                Object reason = e.data().get("reason");
                yield "stopped".equals(reason) || "stop-timeout-killed".equals(reason)
                        ? List.of("die", "stop")
                        : "killed".equals(reason) ? List.of("kill", "die") : List.of("die");
            }
            default -> List.of();
        };
    }

    static int exitCode(Event e) {
        return e.data().get("exitCode") instanceof Number n ? n.intValue() : 0;
    }

    private static Map<String, Object> image(String action, String ref, Event e) {
        String shown = ImageRefs.display(ref);
        var m = event("image", action, shown, Map.of("name", shown), e);
        m.put("status", action);
        m.put("id", shown);
        return reorder(m);
    }

    private static LinkedHashMap<String, Object> event(
            String type, String action, String id, Map<String, ?> attributes, Event e) {
        var m = new LinkedHashMap<String, Object>();
        m.put("Type", type);
        m.put("Action", action);
        m.put("Actor", Map.of("ID", id, "Attributes", attributes));
        m.put("scope", "local");
        m.put("time", e.at().getEpochSecond());
        m.put("timeNano", e.at().getEpochSecond() * 1_000_000_000L + e.at().getNano());
        return m;
    }

    /** The legacy fields first, as dockerd writes them. */
    private static Map<String, Object> reorder(Map<String, Object> m) {
        var out = new LinkedHashMap<String, Object>();
        for (String k : List.of("status", "id", "from")) {
            if (m.containsKey(k)) {
                out.put(k, m.get(k));
            }
        }
        m.forEach(out::putIfAbsent);
        return out;
    }

    /** Whether a Docker event passes {@code filters} (keys ANDed, the values of one key ORed). */
    @SuppressWarnings("unchecked")
    static boolean matches(Map<String, Object> ev, ContainerFilters f) {
        String type = (String) ev.get("Type");
        String action = (String) ev.get("Action");
        var actor = (Map<String, Object>) ev.get("Actor");
        String id = (String) actor.get("ID");
        var attrs = (Map<String, Object>) actor.get("Attributes");
        String name = String.valueOf(attrs.get("name"));
        if (!f.any("type", type::equals) || !f.any("event", action::equals)) {
            return false;
        }
        if (!f.any("container", v -> type.equals("container") && (id.startsWith(v) || name.equals(v)))) {
            return false;
        }
        if (!f.any(
                "image",
                v -> ImageRefs.sameReference(v, String.valueOf(attrs.get("image")))
                        || (type.equals("image") && ImageRefs.sameReference(v, id)))) {
            return false;
        }
        if (!f.any("network", v -> type.equals("network") && (id.equals(v) || name.equals(v)))) {
            return false;
        }
        if (!f.any("volume", v -> type.equals("volume") && id.equals(v))) {
            return false;
        }
        for (String l : f.get("label")) {
            int eq = l.indexOf('=');
            String key = eq < 0 ? l : l.substring(0, eq);
            if (!attrs.containsKey(key) || (eq >= 0 && !l.substring(eq + 1).equals(attrs.get(key)))) {
                return false;
            }
        }
        return true;
    }
}
