package dev.vessel.engine.container;

import dev.vessel.core.error.VesselException;
import java.util.List;

/** Docker's {@code --security-opt} values that Vessel takes; anything else is refused by name, not ignored. */
final class SecurityOptions {
    private SecurityOptions() {}

    /** Whether the options ask for no-new-privileges ({@code no-new-privileges}, {@code ...:true}, {@code ...=true}). */
    static boolean noNewPrivileges(List<String> opts) {
        boolean nnp = false;
        for (String o : opts == null ? List.<String>of() : opts) {
            String v = o == null ? "" : o.strip();
            switch (v) {
                case "no-new-privileges", "no-new-privileges:true", "no-new-privileges=true" -> nnp = true;
                case "no-new-privileges:false", "no-new-privileges=false" -> nnp = false;
                default ->
                    throw VesselException.invalid(
                            "securityOpt",
                            "'" + v
                                    + "' is not supported (supported: no-new-privileges[:true|false]; the seccomp profile"
                                    + " and capabilities are Docker's defaults)");
            }
        }
        return nnp;
    }
}
