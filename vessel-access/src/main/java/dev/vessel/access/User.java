package dev.vessel.access;

import java.time.Instant;
import java.util.List;

/** A user of the local realm. The hash is an Argon2id PHC string; it never leaves the store (see {@link UserView}). */
public record User(
        String name, String passwordHash, List<String> groups, boolean enabled, String comment, Instant created) {
    public User {
        Names.user(name);
        groups = List.copyOf(groups);
        groups.forEach(Names::group);
        comment = comment == null ? "" : comment;
    }

    public User withPassword(String hash) {
        return new User(name, hash, groups, enabled, comment, created);
    }

    @Override
    public String toString() {
        return "User[" + name + "]";
    }
}
