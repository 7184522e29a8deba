package dev.vessel.access.tls;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * This client's own certificate, as Incus's {@code client.crt}: made on first use in the CLI's config directory
 * (ECDSA P-256, self-signed, for client authentication), presented to every remote, and logging in there once an
 * administrator trusts it ({@code vessel trust add NAME client.crt --user U}). The key never leaves the file, which
 * only its owner may read.
 */
public record ClientIdentity(X509Certificate certificate, PrivateKey key, Path certificateFile) {
    public static final String CRT = "client.crt";
    public static final String KEY = "client.key";
    private static final Duration LIFE = Duration.ofDays(3650);

    /** The identity in {@code dir}, made now if there is none. */
    public static ClientIdentity loadOrCreate(Path dir, String commonName) {
        Path crt = dir.resolve(CRT);
        Path key = dir.resolve(KEY);
        try {
            if (!Files.exists(crt) || !Files.exists(key)) {
                Files.createDirectories(dir);
                var g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                var pair = g.generateKeyPair();
                var cert = selfSigned(pair.getPublic(), pair.getPrivate(), commonName);
                AtomicFiles.writePrivate(key, pemKey(pair.getPrivate()));
                AtomicFiles.write(crt, NodeCertificates.pem(cert));
            }
            var cert = NodeCertificates.parsePem(Files.readString(crt));
            return new ClientIdentity(cert, readKey(Files.readString(key)), crt);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new VesselException(
                    dev.vessel.core.error.ProblemType.INTERNAL,
                    "cannot make or read the client certificate in " + dir + ": " + e.getMessage(),
                    java.util.Map.of(),
                    e);
        }
    }

    public String fingerprint() {
        return NodeCertificates.Identity.fingerprint(certificate);
    }

    /** Key managers that present this certificate in a TLS handshake. */
    public KeyManager[] keyManagers() {
        try {
            char[] none = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, none, new X509Certificate[] {certificate});
            var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot load the client key: " + e.getMessage(), e);
        }
    }

    private static X509Certificate selfSigned(java.security.PublicKey pub, PrivateKey priv, String commonName)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        var name = new X500Name("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", "_") + ",O=Vessel client");
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(
                name,
                new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(LIFE)),
                name,
                pub);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        var holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(priv));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static String pemKey(PrivateKey k) {
        var w = new StringWriter();
        w.write("-----BEGIN PRIVATE KEY-----\n");
        w.write(Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(k.getEncoded()));
        w.write("\n-----END PRIVATE KEY-----\n");
        return w.toString();
    }

    private static PrivateKey readKey(String pem) throws GeneralSecurityException {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }
}
