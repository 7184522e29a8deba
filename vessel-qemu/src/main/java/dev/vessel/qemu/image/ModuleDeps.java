package dev.vessel.qemu.image;

import dev.vessel.core.error.VesselException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A kernel's {@code modules.dep}: for each module (path relative to /lib/modules/VERSION) the modules it needs.
 * Busybox's insmod loads exactly one file and resolves nothing, so the load order is worked out here at build time.
 */
public final class ModuleDeps {
    private final Map<String, List<String>> deps;

    private ModuleDeps(Map<String, List<String>> deps) {
        this.deps = deps;
    }

    /** Parses lines of the form {@code kernel/a/b.ko: kernel/c.ko kernel/d.ko}. */
    public static ModuleDeps parse(String modulesDep) {
        var deps = new LinkedHashMap<String, List<String>>();
        for (String line : modulesDep.lines().toList()) {
            int colon = line.indexOf(':');
            if (line.isBlank() || line.startsWith("#") || colon <= 0) {
                continue;
            }
            String rest = line.substring(colon + 1).strip();
            deps.put(line.substring(0, colon).strip(), rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
        }
        return new ModuleDeps(deps);
    }

    /** The canonical module name of a path: basename without .ko[.xz|.zst|.gz], dashes as underscores. */
    static String moduleName(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        int ko = base.indexOf(".ko");
        return (ko >= 0 ? base.substring(0, ko) : base).replace('-', '_');
    }

    /** The path of a module by name ("virtio-rng" and "virtio_rng" are the same module). */
    public String pathOf(String module) {
        String wanted = module.replace('-', '_');
        return deps.keySet().stream()
                .filter(p -> moduleName(p).equals(wanted))
                .findFirst()
                .orElseThrow(() -> VesselException.invalid("kernel", "module " + module + " is not in modules.dep"));
    }

    /** Every file needed to load {@code modules}, dependencies before the modules that use them, each once. */
    public List<String> loadOrder(Collection<String> modules) {
        var order = new LinkedHashSet<String>();
        for (String m : modules) {
            visit(pathOf(m), order, new LinkedHashSet<>());
        }
        return List.copyOf(order);
    }

    private void visit(String path, LinkedHashSet<String> order, LinkedHashSet<String> onStack) {
        if (order.contains(path)) {
            return;
        }
        if (!onStack.add(path)) {
            throw VesselException.invalid("kernel", "modules.dep has a cycle through " + path);
        }
        List<String> direct = deps.get(path);
        if (direct == null) {
            throw VesselException.invalid("kernel", "modules.dep names " + path + " but has no line for it");
        }
        // modules.dep lists the whole closure in no useful order; recursing on each entry sorts it out.
        for (String d : new ArrayList<>(direct)) {
            visit(d, order, onStack);
        }
        onStack.remove(path);
        order.add(path);
    }
}
