package dev.vessel.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Everything access keeps, as one immutable value: a change makes a new one, written whole. */
public record AccessState(
        List<User> users,
        List<ApiToken> tokens,
        List<Role> roles,
        List<AclEntry> acl,
        List<TrustedCertificate> certificates) {
    public static final AccessState EMPTY = new AccessState(List.of(), List.of(), List.of(), List.of(), List.of());

    public AccessState {
        users = users == null ? List.of() : List.copyOf(users);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        roles = roles == null ? List.of() : List.copyOf(roles);
        acl = acl == null ? List.of() : List.copyOf(acl);
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
    }

    public Optional<User> user(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public Optional<ApiToken> token(String user, String id) {
        return tokens.stream()
                .filter(t -> t.user().equals(user) && t.id().equals(id))
                .findFirst();
    }

    /** The role of that name, built in or custom, or null: a scan of a handful, cheaper than building a table. */
    public Role role(String name) {
        for (Role r : Role.BUILTIN) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        for (Role r : roles) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** The built-in roles and the custom ones, by name. */
    public Map<String, Role> roleTable() {
        var m = new LinkedHashMap<String, Role>();
        Role.BUILTIN.forEach(r -> m.put(r.name(), r));
        roles.forEach(r -> m.putIfAbsent(r.name(), r));
        return m;
    }

    public AccessState withUsers(List<User> u) {
        return new AccessState(u, tokens, roles, acl, certificates);
    }

    public AccessState withTokens(List<ApiToken> t) {
        return new AccessState(users, t, roles, acl, certificates);
    }

    public AccessState withRoles(List<Role> r) {
        return new AccessState(users, tokens, r, acl, certificates);
    }

    public AccessState withAcl(List<AclEntry> a) {
        return new AccessState(users, tokens, roles, a, certificates);
    }

    public AccessState withCertificates(List<TrustedCertificate> c) {
        return new AccessState(users, tokens, roles, acl, c);
    }

    static <T> List<T> without(List<T> list, Predicate<T> drop) {
        var out = new ArrayList<T>(list);
        out.removeIf(drop);
        return out;
    }

    static <T> List<T> plus(List<T> list, T item) {
        var out = new ArrayList<T>(list);
        out.add(item);
        return out;
    }
}
