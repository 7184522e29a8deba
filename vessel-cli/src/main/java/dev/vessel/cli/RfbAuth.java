package dev.vessel.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The opening of an RFB (VNC) session on both sides of {@code vessel vm vnc}'s bridge: as a client it logs in to
 * QEMU's VNC server with the one-time password of a ticket; as a server it asks the local viewer for the bridge's own
 * password. Both are RFB's "VNC authentication" (a DES encryption of a 16-byte challenge, the key the password's
 * bytes bit-reversed, RFC 6143 7.2.2). After it, the two streams are at the same point (the client's ClientInit
 * comes next) and are joined byte for byte.
 */
final class RfbAuth {
    static final byte[] VERSION = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);
    private static final int VNC_AUTH = 2;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RfbAuth() {}

    /** Logs in to a VNC server; throws with the server's reason if it refuses. */
    static void asClient(InputStream in, OutputStream out, String password) throws IOException {
        var d = new DataInputStream(in);
        byte[] version = new byte[12];
        d.readFully(version);
        if (!new String(version, StandardCharsets.US_ASCII).startsWith("RFB 003.")) {
            throw new IOException("not an RFB server");
        }
        out.write(VERSION);
        out.flush();
        int n = d.readUnsignedByte();
        if (n == 0) {
            throw new IOException("the VNC server refused: " + reason(d));
        }
        boolean vncAuth = false;
        for (int i = 0; i < n; i++) {
            vncAuth |= d.readUnsignedByte() == VNC_AUTH;
        }
        if (!vncAuth) {
            throw new IOException("the VNC server does not offer password authentication");
        }
        out.write(VNC_AUTH);
        out.flush();
        byte[] challenge = new byte[16];
        d.readFully(challenge);
        out.write(des(password, challenge));
        out.flush();
        if (d.readInt() != 0) {
            throw new IOException("the VNC server refused the ticket's password: " + reason(d));
        }
    }

    /** Asks a viewer for {@code password}; false (and the viewer told why) if it gives another. */
    static boolean asServer(InputStream in, OutputStream out, String password) throws IOException {
        var d = new DataInputStream(in);
        out.write(VERSION);
        out.flush();
        byte[] version = new byte[12];
        d.readFully(version);
        boolean v33 = new String(version, StandardCharsets.US_ASCII).startsWith("RFB 003.003");
        if (v33) {
            out.write(new byte[] {0, 0, 0, VNC_AUTH});
        } else {
            out.write(new byte[] {1, VNC_AUTH});
            out.flush();
            if (d.readUnsignedByte() != VNC_AUTH) {
                return false;
            }
        }
        byte[] challenge = new byte[16];
        RANDOM.nextBytes(challenge);
        out.write(challenge);
        out.flush();
        byte[] response = new byte[16];
        d.readFully(response);
        boolean ok = MessageDigest.isEqual(response, des(password, challenge));
        out.write(new byte[] {0, 0, 0, (byte) (ok ? 0 : 1)});
        if (!ok && !v33) {
            byte[] why = "wrong password".getBytes(StandardCharsets.US_ASCII);
            out.write(new byte[] {0, 0, 0, (byte) why.length});
            out.write(why);
        }
        out.flush();
        return ok;
    }

    static byte[] des(String password, byte[] challenge) {
        byte[] key = new byte[8];
        byte[] pw = password.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 8 && i < pw.length; i++) {
            key[i] = (byte) (Integer.reverse(pw[i] & 0xff) >>> 24);
        }
        try {
            var c = Cipher.getInstance("DES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
            return c.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DES is missing from this JDK", e);
        }
    }

    private static String reason(DataInputStream d) throws IOException {
        int len = d.readInt();
        byte[] b = new byte[Math.min(len, 1024)];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Eight characters a viewer can take (RFB uses the first eight only). */
    static String newPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
