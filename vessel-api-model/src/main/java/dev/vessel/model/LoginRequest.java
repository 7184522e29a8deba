package dev.vessel.model;

/** {@code vessel login}: checked with the registry before it is kept; the password is never shown again. */
public record LoginRequest(String registry, String username, String password) {
    @Override
    public String toString() {
        return "LoginRequest[registry=" + registry + ", username=" + username + ", password=(hidden)]";
    }
}
