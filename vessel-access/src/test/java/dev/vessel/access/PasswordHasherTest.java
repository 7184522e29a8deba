package dev.vessel.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher h = new PasswordHasher();

    @Test
    void hashesAreArgon2idPhcStringsWithTheirOwnSalt() {
        String a = h.hash("secret password");
        String b = h.hash("secret password");
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(h.verify("secret password", a)).isTrue();
        assertThat(h.verify("secret passwore", a)).isFalse();
    }

    @Test
    void malformedOrMissingHashesFail() {
        assertThat(h.verify("x", null)).isFalse();
        assertThat(h.verify("x", "$argon2id$v=19$m=999999999,t=2,p=1$AAAA$AAAA"))
                .isFalse();
        assertThat(h.verify("x", "$argon2i$v=19$m=19456,t=2,p=1$AAAA$AAAA")).isFalse();
        assertThat(h.verify("x", "garbage")).isFalse();
    }

    /** A hash made by the reference implementation (Debian's argon2 CLI: -id -t 2 -k 19456 -p 1, salt somesalt12345678). */
    @Test
    void verifiesAHashMadeByTheReferenceImplementation() {
        String phc =
                "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQxMjM0NTY3OA$DEwLbbIZGUtgBuB4gYok6r6hNvevYZoxkwMQ5/LXSaU";
        assertThat(h.verify("password", phc)).isTrue();
        assertThat(h.verify("Password", phc)).isFalse();
    }
}
