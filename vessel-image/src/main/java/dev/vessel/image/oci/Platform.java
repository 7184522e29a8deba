package dev.vessel.image.oci;

/** The os/architecture(/variant) an image is built for; pulls choose the host's entry from a manifest list. */
public record Platform(String os, String architecture, String variant) {
    public Platform {
        variant = variant == null || variant.isEmpty() ? null : variant;
    }

    public static Platform linux(String architecture) {
        return new Platform("linux", architecture, null);
    }

    /** The JVM's view of the host, in the Go names that OCI uses. */
    public static Platform host() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> System.getProperty("os.arch");
        };
        return linux(arch);
    }

    /** A null variant on our side accepts any variant (arm64 images are often tagged "v8"). */
    public boolean accepts(Platform candidate) {
        return candidate != null
                && os.equals(candidate.os)
                && architecture.equals(candidate.architecture)
                && (variant == null || variant.equals(candidate.variant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
