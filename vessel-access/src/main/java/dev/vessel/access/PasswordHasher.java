package dev.vessel.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (Bouncy Castle's implementation), kept as PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH}). The parameters are OWASP's first recommendation: 19 MiB, two
 * passes, one lane. Verification reads the parameters from the string, so they can be raised later without losing
 * the old hashes, and compares in constant time.
 */
public final class PasswordHasher {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private final SecureRandom random = new SecureRandom();
    /** Checked against when the user does not exist, so that an unknown user costs as much as a wrong password. */
    private final String decoy;

    public PasswordHasher() {
        byte[] pw = new byte[16];
        random.nextBytes(pw);
        decoy = hash(new String(B64.encode(pw), StandardCharsets.US_ASCII));
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, 32);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Whether {@code password} matches {@code phc}; a null or malformed {@code phc} checks against the decoy, and fails. */
    public boolean verify(String password, String phc) {
        boolean real = phc != null;
        String[] p = (real ? phc : decoy).split("\\$");
        if (p.length != 6 || !p[1].equals("argon2id") || !p[2].equals("v=19")) {
            p = decoy.split("\\$");
            real = false;
        }
        try {
            int m = 0, t = 0, par = 0;
            for (String kv : p[3].split(",")) {
                int v = Integer.parseInt(kv.substring(2));
                switch (kv.charAt(0)) {
                    case 'm' -> m = v;
                    case 't' -> t = v;
                    case 'p' -> par = v;
                    default -> throw new IllegalArgumentException(kv);
                }
            }
            if (m < 8 || m > 1 << 20 || t < 1 || t > 16 || par < 1 || par > 16) {
                return false;
            }
            byte[] salt = B64D.decode(p[4]);
            byte[] expected = B64D.decode(p[5]);
            byte[] got = derive(password, salt, m, t, par, expected.length);
            return MessageDigest.isEqual(got, expected) && real;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spends the time of one verification, for callers that already know the answer is no. */
    public void burn(String password) {
        verify(password, null);
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        var params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        var gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[length];
        gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
