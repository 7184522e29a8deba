package dev.vessel.docker;

/**
 * Image references as Docker clients write them and as the engine keeps them (familiar: {@code busybox:latest},
 * not {@code docker.io/library/busybox:latest}). Only spelling: the engine parses and checks references itself.
 */
final class ImageRefs {
    private ImageRefs() {}

    /** The familiar form with its tag: {@code docker.io/library/busybox} is {@code busybox:latest}. */
    static String familiar(String ref) {
        String r = ref;
        for (String hub : new String[] {"docker.io/", "index.docker.io/", "registry-1.docker.io/"}) {
            if (r.startsWith(hub)) {
                r = r.substring(hub.length());
                break;
            }
        }
        if (r.startsWith("library/") && r.indexOf('/', "library/".length()) < 0) {
            r = r.substring("library/".length());
        }
        return hasTagOrDigest(r) ? r : r + ":latest";
    }

    static String display(String ref) {
        return familiar(ref);
    }

    static boolean sameReference(String a, String b) {
        return familiar(a).equals(familiar(b));
    }

    /** Whether the last path component carries {@code :tag} or the reference {@code @digest}. */
    static boolean hasTagOrDigest(String ref) {
        if (ref.contains("@")) {
            return true;
        }
        int slash = ref.lastIndexOf('/');
        return ref.indexOf(':', slash + 1) >= 0;
    }

    /** {@code fromImage} and {@code tag} of a pull, as one reference. */
    static String join(String image, String tag) {
        if (tag == null || tag.isEmpty()) {
            return image;
        }
        return tag.startsWith("sha256:") ? image + "@" + tag : image + ":" + tag;
    }
}
