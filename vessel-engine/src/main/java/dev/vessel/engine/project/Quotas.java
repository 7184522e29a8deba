package dev.vessel.engine.project;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import dev.vessel.core.model.ByteSize;
import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.InstanceSpec;
import dev.vessel.core.model.ProjectKey;
import dev.vessel.core.store.InstanceStore;
import dev.vessel.model.ProjectLimits;
import dev.vessel.model.ProjectUsage;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A project's quotas, enforced where instances are stored: the use is summed from the stored instances and the check
 * and the insert run under the project's lock, so two creates at once cannot both take the last of a quota. Going over
 * is a {@link ProblemType#QUOTA_EXCEEDED} problem naming the limit, the use and the request, and nothing is stored.
 */
public final class Quotas {
    private final ProjectStore projects;
    private final InstanceStore instances;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private volatile Supplier<Map<String, Long>> volumes = Map::of;
    private volatile Supplier<java.util.List<String>> networks = java.util.List::of;

    public Quotas(ProjectStore projects, InstanceStore instances) {
        this.projects = projects;
        this.instances = instances;
    }

    /** Where the volumes' sizes come from (storage starts after the quotas): key to virtual size. */
    public void volumes(Supplier<Map<String, Long>> sizes) {
        this.volumes = sizes;
    }

    /** Where the networks' keys come from (networks start after the quotas). */
    public void networks(Supplier<java.util.List<String>> keys) {
        this.networks = keys;
    }

    /** The project's limits; a project that does not exist is a not-found problem. */
    public ProjectLimits limits(String project) {
        var stored = projects.get(project);
        if (stored.isEmpty() && !project.equals(ProjectKey.DEFAULT_PROJECT)) {
            throw VesselException.notFound("project", project);
        }
        return stored.map(ProjectRecord::limits).orElse(ProjectLimits.NONE);
    }

    /** What the project's instances, volumes and networks hold now. */
    public ProjectUsage usage(String project) {
        var sum = ProjectUsage.ZERO;
        for (Instance i : instances.list()) {
            if (i.project().equals(project)) {
                sum = sum.plus(Footprint.of(i.spec()));
            }
        }
        long disk = 0;
        for (var v : volumes.get().entrySet()) {
            if (ProjectKey.projectOf(v.getKey()).equals(project)) {
                disk += v.getValue();
            }
        }
        return sum.plus(new ProjectUsage(0, 0, 0, disk, networksOf(project).size()));
    }

    /**
     * Refuses early, before anything is made, what the request alone shows would go over (disks are counted at
     * {@link #admit}, once they exist).
     */
    public void check(String key, ProjectUsage demand) {
        String project = ProjectKey.projectOf(key);
        compare(project, limits(project), usage(project), demand);
    }

    /** {@link #check(String, ProjectUsage)} for a spec, whose disks are not counted yet. */
    public void check(String key, InstanceSpec wanted) {
        String project = ProjectKey.projectOf(key);
        var limits = limits(project);
        requireLimited(project, limits, wanted);
        var d = Footprint.of(wanted);
        compare(project, limits, usage(project), new ProjectUsage(d.instances(), d.cpus(), d.memory(), 0));
    }

    /** Stores a new instance with {@code insert} if the project's quotas hold it, checked and stored under one lock. */
    public <T> T admit(String key, InstanceSpec spec, Supplier<T> insert) {
        String project = ProjectKey.projectOf(key);
        var lock = locks.computeIfAbsent(project, p -> new ReentrantLock());
        lock.lock();
        try {
            var limits = limits(project);
            requireLimited(project, limits, spec);
            compare(project, limits, usage(project), Footprint.of(spec));
            return insert.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stores a change of an instance's spec with {@code write} if the project's quotas hold what it grows by (only
     * what grows is counted, so a project already over a lowered limit may still shrink), under the project's lock.
     */
    public <T> T admitChange(String key, InstanceSpec before, InstanceSpec after, Supplier<T> write) {
        var was = Footprint.of(before);
        var will = Footprint.of(after);
        var growth = new ProjectUsage(
                0,
                Math.max(0, will.cpus() - was.cpus()),
                Math.max(0, will.memory() - was.memory()),
                Math.max(0, will.disk() - was.disk()));
        String project = ProjectKey.projectOf(key);
        var lock = locks.computeIfAbsent(project, p -> new ReentrantLock());
        lock.lock();
        try {
            compare(project, limits(project), usage(project), growth);
            return write.get();
        } finally {
            lock.unlock();
        }
    }

    /** The keys of the project's volumes. */
    public java.util.List<String> volumesOf(String project) {
        return volumes.get().keySet().stream()
                .filter(k -> ProjectKey.projectOf(k).equals(project))
                .sorted()
                .toList();
    }

    /** The keys of the project's own networks (none while it uses the default project's). */
    public java.util.List<String> networksOf(String project) {
        return networks.get().stream()
                .filter(k -> ProjectKey.projectOf(k).equals(project))
                .sorted()
                .toList();
    }

    /** Makes network {@code key} with {@code make} if its project's network quota holds one more. */
    public <T> T admitNetwork(String key, Supplier<T> make) {
        String project = ProjectKey.projectOf(key);
        var lock = locks.computeIfAbsent(project, p -> new ReentrantLock());
        lock.lock();
        try {
            compare(project, limits(project), usage(project), new ProjectUsage(0, 0, 0, 0, 1));
            return make.get();
        } finally {
            lock.unlock();
        }
    }

    /** Makes (or grows) a volume with {@code make} if the project's disk quota holds {@code bytes} more. */
    public <T> T admitDisk(String key, long bytes, Supplier<T> make) {
        String project = ProjectKey.projectOf(key);
        var lock = locks.computeIfAbsent(project, p -> new ReentrantLock());
        lock.lock();
        try {
            compare(project, limits(project), usage(project), new ProjectUsage(0, 0, 0, Math.max(0, bytes)));
            return make.get();
        } finally {
            lock.unlock();
        }
    }

    /** As Incus: where a project limits CPU or memory, each container must say how much it takes. */
    private static void requireLimited(String project, ProjectLimits l, InstanceSpec spec) {
        if (spec instanceof ContainerSpec c) {
            if (l.cpus() != null && c.cpus() <= 0) {
                throw VesselException.invalid(
                        "cpus", "project '" + project + "' limits CPUs: give the container a CPU limit (--cpus)");
            }
            if (l.memory() != null && c.memoryBytes() <= 0) {
                throw VesselException.invalid(
                        "memory", "project '" + project + "' limits memory: give the container a memory limit (-m)");
            }
        }
    }

    static void compare(String project, ProjectLimits l, ProjectUsage used, ProjectUsage asked) {
        if (l.instances() != null && used.instances() + asked.instances() > l.instances()) {
            throw exceeded(
                    project, "instances", l.instances(), used.instances(), asked.instances(), v -> Integer.toString(v));
        }
        if (l.cpus() != null && used.cpus() + asked.cpus() > l.cpus() + 1e-9) {
            throw exceeded(project, "cpus", l.cpus(), used.cpus(), asked.cpus(), Quotas::cpus);
        }
        if (l.memory() != null && used.memory() + asked.memory() > l.memory()) {
            throw exceeded(project, "memory", l.memory(), used.memory(), asked.memory(), v -> ByteSize.human(v));
        }
        if (l.disk() != null && used.disk() + asked.disk() > l.disk()) {
            throw exceeded(project, "disk", l.disk(), used.disk(), asked.disk(), v -> ByteSize.human(v));
        }
        if (l.networks() != null && used.networks() + asked.networks() > l.networks()) {
            throw exceeded(
                    project, "networks", l.networks(), used.networks(), asked.networks(), v -> Integer.toString(v));
        }
    }

    private static <N extends Number> VesselException exceeded(
            String project, String limit, N max, N used, N asked, java.util.function.Function<N, String> show) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("project", project);
        details.put("limit", limit);
        details.put("max", max);
        details.put("used", used);
        details.put("requested", asked);
        return new VesselException(
                ProblemType.QUOTA_EXCEEDED,
                "quota exceeded in project '" + project + "': " + limit + " limit " + show.apply(max) + ", used "
                        + show.apply(used) + ", requested " + show.apply(asked),
                details,
                null);
    }

    /** A limit's value as messages show it. */
    static String show(Object limit, Object value) {
        return switch (value) {
            case Double d -> cpus(d);
            case Long l when !"instances".equals(limit) && !"networks".equals(limit) -> ByteSize.human(l);
            default -> String.valueOf(value);
        };
    }

    static String cpus(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
