package dev.vessel.net;

import java.nio.file.Path;

/** A network namespace that is not ours: a container's, or a VM runtime's. */
public sealed interface NetnsRef {
    /** The namespace file, for {@code nsenter --net=}. */
    Path path();

    /** How {@code ip link ... netns X} names it. */
    String ipArgument();

    /** A namespace bound under /run/netns by {@code ip netns add}. */
    record Named(String name) implements NetnsRef {
        public Named {
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                throw new IllegalArgumentException("bad netns name: " + name);
            }
        }

        @Override
        public Path path() {
            return Path.of("/run/netns", name);
        }

        @Override
        public String ipArgument() {
            return name;
        }
    }

    /** The namespace a process lives in, e.g. a runc container's init. */
    record Pid(long pid) implements NetnsRef {
        public Pid {
            if (pid <= 0) {
                throw new IllegalArgumentException("bad pid " + pid);
            }
        }

        @Override
        public Path path() {
            return Path.of("/proc", Long.toString(pid), "ns", "net");
        }

        @Override
        public String ipArgument() {
            return Long.toString(pid);
        }
    }
}
