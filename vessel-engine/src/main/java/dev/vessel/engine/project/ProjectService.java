package dev.vessel.engine.project;

import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.ProjectKey;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.engine.event.EventBus;
import dev.vessel.engine.service.Projects;
import dev.vessel.model.ProjectFeatures;
import dev.vessel.model.ProjectLimits;
import dev.vessel.model.ProjectRequest;
import dev.vessel.model.ProjectView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@link Projects} on the project store, with the use of each summed by {@link Quotas}. */
public final class ProjectService implements Projects {
    private static final int MAX_DESCRIPTION = 500;
    private final ProjectStore store;
    private final InstanceStore instances;
    private final Quotas quotas;
    private final ProjectScopes scopes;
    private final EventBus events;
    private final Clock clock;
    private final Instant since;
    /** Kinds of things a project may hold beside instances and volumes (its networks, its images), by label. */
    private final Map<String, Function<String, List<String>>> holdings = new LinkedHashMap<>();

    public ProjectService(ProjectStore store, InstanceStore instances, Quotas quotas, EventBus events, Clock clock) {
        this.store = store;
        this.instances = instances;
        this.quotas = quotas;
        this.scopes = new ProjectScopes(store);
        this.events = events;
        this.clock = clock;
        this.since = clock.instant();
    }

    /** Where each project's networks and images live. */
    public ProjectScopes scopes() {
        return scopes;
    }

    /**
     * Tells the service of another kind of thing a project can hold of its own ({@code label} as messages name it, e.g.
     * {@code network(s)}): a project that holds any cannot be removed, nor its features changed.
     */
    public synchronized void holds(String label, Function<String, List<String>> namesIn) {
        holdings.put(label, namesIn);
    }

    @Override
    public List<ProjectView> list() {
        var out = new ArrayList<ProjectView>();
        var stored = store.list();
        if (stored.stream().noneMatch(p -> p.name().equals(ProjectKey.DEFAULT_PROJECT))) {
            out.add(view(defaultProject()));
        }
        stored.forEach(p -> out.add(view(p)));
        out.sort(java.util.Comparator.comparing(ProjectView::name));
        return out;
    }

    @Override
    public ProjectView get(String name) {
        return view(require(name));
    }

    @Override
    public void requireExists(String name) {
        require(name);
    }

    @Override
    public String networkProject(String project) {
        return scopes.networks(project);
    }

    @Override
    public String imageProject(String project) {
        return scopes.images(project);
    }

    @Override
    public synchronized ProjectView create(ProjectRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        String name = Names.requireValid("name", r.name());
        if (name.equals(ProjectKey.DEFAULT_PROJECT) || store.get(name).isPresent()) {
            throw VesselException.exists("project", name);
        }
        var p = new ProjectRecord(
                name,
                description(r.description()),
                LimitsParser.apply(ProjectLimits.NONE, r.limits()),
                clock.instant(),
                FeaturesParser.apply(ProjectFeatures.INITIAL, r.features()));
        store.put(p);
        events.publish("project-created", "project", name, Map.of());
        return view(p);
    }

    @Override
    public synchronized ProjectView update(String name, ProjectRequest r) {
        if (r == null) {
            throw VesselException.invalid("body", "a JSON object is required");
        }
        var current = require(name);
        var limits = LimitsParser.apply(current.limits(), r.limits());
        var features = FeaturesParser.apply(current.features(), r.features());
        if (!features.equals(current.features())) {
            requireEmptyForFeatures(name);
        }
        // A limit may not go below what is held already: nothing would fit any more, and nothing can be taken back.
        var used = quotas.usage(name);
        try {
            Quotas.compare(name, limits, dev.vessel.model.ProjectUsage.ZERO, used);
        } catch (VesselException e) {
            Object limit = e.details().get("limit");
            throw VesselException.invalid(
                    "limits." + limit,
                    "project '" + name + "' already holds "
                            + Quotas.show(limit, e.details().get("requested")) + " " + limit
                            + ": the limit cannot go below that");
        }
        var next = current.withLimits(limits).withFeatures(features);
        if (r.description() != null) {
            next = next.withDescription(description(r.description()));
        }
        store.put(next);
        events.publish("project-updated", "project", name, Map.of());
        return view(next);
    }

    /**
     * As Incus: a feature moves where a kind of thing lives, so it changes only while the project holds nothing that
     * would be left on the wrong side (and never for the default project, which holds everything of its own).
     */
    private void requireEmptyForFeatures(String name) {
        if (name.equals(ProjectKey.DEFAULT_PROJECT)) {
            throw VesselException.invalid("features", "the default project's features cannot change");
        }
        var held = new ArrayList<String>();
        var names = instances.list().stream()
                .filter(i -> i.project().equals(name))
                .map(dev.vessel.core.model.Instance::shortName)
                .sorted()
                .toList();
        if (!names.isEmpty()) {
            held.add("instance(s) " + names);
        }
        var volumes = quotas.volumesOf(name);
        if (!volumes.isEmpty()) {
            held.add("volume(s) " + volumes.stream().map(ProjectKey::nameOf).toList());
        }
        held.addAll(heldOfTheirOwn(name));
        if (!held.isEmpty()) {
            throw VesselException.inUse("features can only be changed on an empty project: project '" + name
                    + "' holds " + String.join(", ", held) + "; remove them first");
        }
    }

    /** What the registered kinds hold in the project, as {@code network(s) [lan]}, one entry per kind. */
    private synchronized List<String> heldOfTheirOwn(String name) {
        var out = new ArrayList<String>();
        holdings.forEach((label, of) -> {
            var names = of.apply(name);
            if (!names.isEmpty()) {
                out.add(label + " " + names);
            }
        });
        return out;
    }

    @Override
    public synchronized void remove(String name) {
        require(name);
        if (name.equals(ProjectKey.DEFAULT_PROJECT)) {
            throw VesselException.invalid("name", "the default project cannot be removed");
        }
        long held =
                instances.list().stream().filter(i -> i.project().equals(name)).count();
        if (held > 0) {
            throw VesselException.inUse(
                    "project '" + name + "' still holds " + held + " instance(s); remove them first");
        }
        var volumes = quotas.volumesOf(name);
        if (!volumes.isEmpty()) {
            throw VesselException.inUse("project '" + name + "' still holds the volume(s) "
                    + volumes.stream().map(ProjectKey::nameOf).toList() + "; remove them first");
        }
        var others = heldOfTheirOwn(name);
        if (!others.isEmpty()) {
            throw VesselException.inUse("project '" + name + "' still holds the " + String.join(" and the ", others)
                    + "; remove them first");
        }
        store.delete(name);
        events.publish("project-removed", "project", name, Map.of());
    }

    private ProjectRecord require(String name) {
        Names.requireValid("project", name);
        return store.get(name).orElseGet(() -> {
            if (name.equals(ProjectKey.DEFAULT_PROJECT)) {
                return defaultProject();
            }
            throw VesselException.notFound("project", name);
        });
    }

    private ProjectRecord defaultProject() {
        return new ProjectRecord(
                ProjectKey.DEFAULT_PROJECT,
                "the default project",
                ProjectLimits.NONE,
                since,
                ProjectFeatures.DEFAULT_PROJECT);
    }

    private ProjectView view(ProjectRecord p) {
        return new ProjectView(
                p.name(),
                p.description(),
                p.limits(),
                quotas.usage(p.name()),
                p.createdAt(),
                p.name().equals(ProjectKey.DEFAULT_PROJECT) ? ProjectFeatures.DEFAULT_PROJECT : p.features());
    }

    private static String description(String d) {
        if (d == null) {
            return "";
        }
        if (d.length() > MAX_DESCRIPTION || d.chars().anyMatch(c -> c < 0x20)) {
            throw VesselException.invalid(
                    "description", "must be at most " + MAX_DESCRIPTION + " printable characters");
        }
        return d;
    }
}
