package dev.vessel.access;

/**
 * Where access keeps its state. One node keeps it in a file; a cluster will keep it in etcd, where every node reads
 * the same users, tokens, roles and ACL.
 */
public interface AccessStore {
    AccessState read();

    /** Replaces the state whole; on failure the previous state stays. */
    void write(AccessState state);
}
