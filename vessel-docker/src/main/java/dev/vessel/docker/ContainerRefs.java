package dev.vessel.docker;

import dev.vessel.core.model.ContainerSpec;
import dev.vessel.core.model.Instance;
import dev.vessel.core.model.Names;
import dev.vessel.core.model.ProjectKey;
import dev.vessel.engine.service.Instances;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Docker's names against ours. Docker allows {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+} (compose 1 makes
 * {@code project_web_1}); an instance's name is a DNS label. A Docker name becomes its label (lower case, {@code _}
 * and {@code .} as {@code -}), and when the two differ the name as given is kept in a label of ours, so that
 * {@code docker ps} shows it and every command finds it; {@code vessel ps} shows the label. Clients name a container
 * by that name, by its id, or by a unique prefix of the id.
 */
final class ContainerRefs {
    /** Where a Docker name that is not a DNS label is kept; never shown among the container's labels. */
    static final String NAME_LABEL = "dev.vessel.docker.name";

    private static final Pattern DOCKER_NAME = Pattern.compile("/?[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private final Instances instances;

    ContainerRefs(Instances instances) {
        this.instances = instances;
    }

    /** The instance name for a Docker name, checked as dockerd checks it. */
    static String vesselName(String dockerName) {
        if (dockerName.length() > 200 || !DOCKER_NAME.matcher(dockerName).matches()) {
            throw DockerErrors.invalid("Invalid container name (" + printable(dockerName)
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        String n = strip(dockerName).toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
        if (n.length() > 63) {
            n = n.substring(0, 63);
        }
        n = n.replaceAll("-+$", "");
        if (!Names.isValid(n)) {
            throw DockerErrors.invalid("Invalid container name (" + printable(dockerName)
                    + "): it must start with a letter or digit and hold one besides");
        }
        return n;
    }

    static String strip(String dockerName) {
        return dockerName.startsWith("/") ? dockerName.substring(1) : dockerName;
    }

    /** The name Docker clients see for an instance. */
    static String dockerName(Instance i) {
        if (i.spec() instanceof ContainerSpec c && c.labels().containsKey(NAME_LABEL)) {
            return c.labels().get(NAME_LABEL);
        }
        return i.shortName();
    }

    /** The labels a Docker client sees: the user's, without ours. */
    static Map<String, String> labels(Instance i) {
        if (i.spec() instanceof ContainerSpec c) {
            if (!c.labels().containsKey(NAME_LABEL)) {
                return c.labels();
            }
            var m = new java.util.TreeMap<>(c.labels());
            m.remove(NAME_LABEL);
            return m;
        }
        return Map.of();
    }

    /** The instance a client means, in {@code project}: by name (Docker's or ours), id, or a unique id prefix. */
    Instance resolve(String project, String ref) {
        if (ref == null || ref.isEmpty()) {
            throw DockerErrors.noSuchContainer(String.valueOf(ref));
        }
        String want = strip(ref);
        var all = inProject(project);
        for (Instance i : all) {
            if (i.id().equals(want)
                    || dockerName(i).equals(want)
                    || i.shortName().equals(want)) {
                return i;
            }
        }
        var prefixed = new ArrayList<Instance>();
        for (Instance i : all) {
            if (i.id().startsWith(want.toLowerCase(Locale.ROOT))) {
                prefixed.add(i);
            }
        }
        if (prefixed.size() == 1) {
            return prefixed.getFirst();
        }
        if (prefixed.size() > 1) {
            throw DockerErrors.invalid("multiple IDs found with provided prefix: " + printable(want));
        }
        throw DockerErrors.noSuchContainer(printable(ref));
    }

    List<Instance> inProject(String project) {
        var out = new ArrayList<Instance>();
        for (Instance i : instances.stored()) {
            if (ProjectKey.projectOf(i.name()).equals(project == null ? ProjectKey.DEFAULT_PROJECT : project)) {
                out.add(i);
            }
        }
        return out;
    }

    static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 80 ? p.substring(0, 77) + "..." : p;
    }
}
