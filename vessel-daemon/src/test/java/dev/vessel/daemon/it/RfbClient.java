package dev.vessel.daemon.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Just enough of a VNC viewer for a test: RFB 3.8, VNC authentication, ClientInit, ServerInit. */
final class RfbClient {
    record ServerInit(int width, int height, String name) {}

    private RfbClient() {}

    /** True when the server accepts {@code password}. */
    static boolean login(Socket s, String password) throws Exception {
        var in = new DataInputStream(s.getInputStream());
        var out = s.getOutputStream();
        byte[] version = new byte[12];
        in.readFully(version);
        out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        int n = in.readUnsignedByte();
        boolean vncAuth = false;
        for (int i = 0; i < n; i++) {
            vncAuth |= in.readUnsignedByte() == 2;
        }
        if (!vncAuth) {
            throw new AssertionError("no VNC authentication offered");
        }
        out.write(2);
        byte[] challenge = new byte[16];
        in.readFully(challenge);
        byte[] key = new byte[8];
        byte[] pw = password.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 8 && i < pw.length; i++) {
            key[i] = (byte) (Integer.reverse(pw[i] & 0xff) >>> 24);
        }
        var c = javax.crypto.Cipher.getInstance("DES/ECB/NoPadding");
        c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "DES"));
        out.write(c.doFinal(challenge));
        out.flush();
        return in.readInt() == 0;
    }

    /** Sends a shared ClientInit and reads the ServerInit. */
    static ServerInit serverInit(Socket s) throws IOException {
        var in = new DataInputStream(s.getInputStream());
        s.getOutputStream().write(1);
        s.getOutputStream().flush();
        int w = in.readUnsignedShort();
        int h = in.readUnsignedShort();
        in.readFully(new byte[16]);
        byte[] name = new byte[in.readInt()];
        in.readFully(name);
        return new ServerInit(w, h, new String(name, StandardCharsets.UTF_8));
    }
}
