package dev.vessel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small helpers the storage commands share. */
final class Cmds {
    private Cmds() {}

    static void put(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
