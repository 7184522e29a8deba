package dev.vessel.core.model;

import java.util.List;

/**
 * A tmpfs inside a container ({@code --tmpfs /run:size=64m,mode=1777}).
 *
 * @param options mount options as given (checked against a list of tmpfs options when the container is made)
 */
public record TmpfsMount(String target, List<String> options) {
    public TmpfsMount {
        java.util.Objects.requireNonNull(target, "target");
        options = options == null ? List.of() : List.copyOf(options);
    }
}
