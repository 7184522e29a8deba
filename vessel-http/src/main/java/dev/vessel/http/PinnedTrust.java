package dev.vessel.http;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What the CLI trusts a remote daemon by. A node makes its own CA (see the daemon's NodeCertificates), so a remote is
 * trusted by that CA, learned on first use: {@link #firstContact} accepts whatever the server shows and keeps it so that
 * the user can be asked; {@link #trusting} then accepts only chains that CA signed. The host name is not checked
 * against the certificate: the CA is the node's own and signs for nothing else.
 */
public final class PinnedTrust {
    private PinnedTrust() {}

    /** A context that accepts any server and keeps the chain it showed in {@code seen}. */
    public static SSLContext firstContact(AtomicReference<List<X509Certificate>> seen) {
        TrustManager tm = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("not a server");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.set(List.of(chain));
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        return context(new TrustManager[] {tm});
    }

    /** A context that accepts only servers whose chain {@code ca} signed. */
    public static SSLContext trusting(X509Certificate ca) {
        return trusting(ca, null);
    }

    /** As {@link #trusting(X509Certificate)}, presenting the client certificate of {@code keys} when asked. */
    public static SSLContext trusting(X509Certificate ca, javax.net.ssl.KeyManager[] keys) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return context(keys, tmf.getTrustManagers());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(TrustManager[] tms) {
        return context(null, tms);
    }

    private static SSLContext context(javax.net.ssl.KeyManager[] keys, TrustManager[] tms) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, tms, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of the certificate, as openssl prints it ({@code AB:CD:...}): the node's own notation. */
    public static String fingerprint(X509Certificate c) {
        return dev.vessel.access.tls.NodeCertificates.Identity.fingerprint(c);
    }
}
