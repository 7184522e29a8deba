package dev.vessel.qemu.image;

import java.nio.file.Path;

/**
 * The tiny image the integration tests share. It is built once into a stable directory outside the work tree, and
 * later runs reuse it as long as the builder says it is up to date (same scripts, same package versions).
 */
public final class TestImages {
    public static final Path DIR = Path.of(System.getProperty("vessel.test.tiny", "/var/cache/vessel/test-tiny"));

    private static TinyImage tiny;

    private TestImages() {}

    public static synchronized TinyImage tiny() {
        if (tiny == null) {
            tiny = new TinyImageBuilder()
                    .build(
                            DIR,
                            (fraction, message) ->
                                    System.out.printf("tiny image: %3.0f%% %s%n", fraction * 100, message));
        }
        return tiny;
    }
}
