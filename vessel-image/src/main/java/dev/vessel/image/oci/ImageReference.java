package dev.vessel.image.oci;

import dev.vessel.core.error.VesselException;
import java.util.regex.Pattern;

/**
 * A parsed image reference, following the grammar of distribution/reference (what {@code docker pull} accepts):
 * {@code [host[:port]/]path[:tag][@sha256:hex]}. The first component is a registry host only if it contains a dot
 * or a colon, or is {@code localhost}; otherwise the registry is Docker Hub, where one-component names live under
 * {@code library/}. With neither tag nor digest the tag is {@code latest}.
 *
 * @param tag null when the reference names only a digest
 * @param digest null unless pinned by digest
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");

    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw VesselException.invalid("reference", "an image reference is required");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            String d = rest.substring(at + 1);
            try {
                digest = Digest.parse(d);
            } catch (VesselException e) {
                throw bad(text, "invalid digest '" + d + "' (expected sha256:<64 hex digits>)");
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw bad(
                        text,
                        "invalid tag '" + tag
                                + "' (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')");
            }
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".")
                    || first.contains(":")
                    || first.equals("localhost")
                    || !first.equals(first.toLowerCase())) {
                if (!HOST.matcher(first).matches()) {
                    throw bad(text, "invalid registry host '" + first + "'");
                }
                registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
                rest = rest.substring(slash + 1);
            }
        }
        if (rest.isEmpty()) {
            throw bad(text, "the repository name is empty");
        }
        if (!rest.equals(rest.toLowerCase())) {
            throw bad(text, "repository name must be lowercase");
        }
        for (String c : rest.split("/", -1)) {
            if (!COMPONENT.matcher(c).matches()) {
                throw bad(text, "invalid repository name component '" + c + "'");
            }
        }
        if (rest.length() > 255) {
            throw bad(text, "repository name is longer than 255 characters");
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    private static VesselException bad(String text, String why) {
        return VesselException.invalid("reference", "invalid reference format '" + text + "': " + why);
    }

    /** The short name people type: no docker.io/, no library/. */
    public String familiarName() {
        if (registry.equals(DOCKER_HUB)) {
            return repository.startsWith("library/") ? repository.substring("library/".length()) : repository;
        }
        return registry + "/" + repository;
    }

    /** The name under which the store records a pulled image: {@code name:tag}, or {@code name@sha256:...}. */
    public String localRef() {
        return tag != null ? familiarName() + ":" + tag : familiarName() + "@" + digest;
    }

    /** What to ask the registry's manifest endpoint for: the digest when pinned, else the tag. */
    public String manifestRef() {
        return digest != null ? digest.toString() : tag;
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
