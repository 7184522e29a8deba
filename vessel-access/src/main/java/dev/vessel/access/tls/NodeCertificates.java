package dev.vessel.access.tls;

import dev.vessel.core.error.VesselException;
import dev.vessel.host.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The node's own certificate authority and server certificate, made at first start as Proxmox VE and Incus make
 * theirs: an ECDSA P-256 CA (10 years) in {@code ca.p12} (its certificate also as {@code ca.crt}, for curl's
 * {@code --cacert}), and a server certificate (2 years) signed by it for the node's names and addresses, in
 * {@code server.p12}. The keystores' password is in {@code keystore.pass}; everything is root's (0600). When the node's
 * names or addresses are no longer all in the certificate, or it is within 30 days of its end, a new server
 * certificate is made with the same CA, so clients that trust the CA keep working.
 */
public final class NodeCertificates {
    private static final Duration CA_LIFE = Duration.ofDays(3650);
    private static final Duration SERVER_LIFE = Duration.ofDays(730);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    /** The server's keystore and what the daemon tells its users about it. */
    public record Identity(Path keystore, String password, Path caCertificate, X509Certificate certificate) {
        /** SHA-256 of the server certificate, as openssl prints it ({@code AB:CD:...}). */
        public String fingerprint() {
            return fingerprint(certificate);
        }

        public static String fingerprint(X509Certificate c) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
                return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "Identity[" + keystore + " " + fingerprint() + "]";
        }
    }

    private NodeCertificates() {}

    /** The identity in {@code dir}, made or renewed as needed for these DNS names and addresses. */
    public static Identity loadOrCreate(Path dir, List<String> dnsNames, List<InetAddress> addresses) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Path passFile = dir.resolve("keystore.pass");
            if (!Files.exists(passFile)) {
                byte[] b = new byte[24];
                new SecureRandom().nextBytes(b);
                AtomicFiles.writePrivate(passFile, HexFormat.of().formatHex(b) + "\n");
            }
            String password = Files.readString(passFile).strip();
            Path caStore = dir.resolve("ca.p12");
            Path caCrt = dir.resolve("ca.crt");
            Path server = dir.resolve("server.p12");
            if (!Files.exists(caStore)) {
                KeyPair ca = newKey();
                X509Certificate caCert = caCertificate(ca, dnsNames.isEmpty() ? "vessel" : dnsNames.getFirst());
                write(caStore, "ca", ca.getPrivate(), List.of(caCert), password);
                AtomicFiles.write(caCrt, pem(caCert));
                Files.deleteIfExists(server);
            }
            KeyStore caKs = read(caStore, password);
            var caKey = (PrivateKey) caKs.getKey("ca", password.toCharArray());
            var caCert = (X509Certificate) caKs.getCertificate("ca");
            if (!Files.exists(caCrt)) {
                AtomicFiles.write(caCrt, pem(caCert));
            }
            X509Certificate current = null;
            if (Files.exists(server)) {
                current = (X509Certificate) read(server, password).getCertificate("server");
            }
            if (current == null || !covers(current, dnsNames, addresses)) {
                KeyPair key = newKey();
                current = serverCertificate(key, caKey, caCert, dnsNames, addresses);
                write(server, "server", key.getPrivate(), List.of(current, caCert), password);
            }
            return new Identity(server, password, caCrt, current);
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw VesselException.host(
                    "cannot make or read the node's certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether the certificate names every one of these and is not near its end. */
    static boolean covers(X509Certificate c, List<String> dnsNames, List<InetAddress> addresses)
            throws GeneralSecurityException {
        if (c.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
            return false;
        }
        Set<String> have = new LinkedHashSet<>();
        Collection<List<?>> sans = c.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                have.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
            }
        }
        for (String n : dnsNames) {
            if (!have.contains(n.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        for (InetAddress a : addresses) {
            if (!have.contains(a.getHostAddress().toLowerCase(Locale.ROOT))
                    && have.stream().noneMatch(h -> sameAddress(h, a))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameAddress(String text, InetAddress a) {
        try {
            return InetAddress.ofLiteral(text).equals(a);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static KeyPair newKey() throws GeneralSecurityException {
        var g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate caCertificate(KeyPair ca, String node)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        var name = new X500Name("CN=Vessel CA " + node.replaceAll("[,=+<>#;\"\\\\]", "_") + ",O=Vessel");
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(
                name,
                serial(),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(CA_LIFE)),
                name,
                ca.getPublic());
        var ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
        return sign(b, ca.getPrivate());
    }

    private static X509Certificate serverCertificate(
            KeyPair key, PrivateKey caKey, X509Certificate caCert, List<String> dnsNames, List<InetAddress> addresses)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        String cn = dnsNames.isEmpty() ? "vessel" : dnsNames.getFirst();
        var subject = new X500Name("CN=" + cn.replaceAll("[,=+<>#;\"\\\\]", "_") + ",O=Vessel");
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(
                caCert,
                serial(),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(SERVER_LIFE)),
                subject,
                key.getPublic());
        var ext = new JcaX509ExtensionUtils();
        var names = new ArrayList<GeneralName>();
        for (String n : new LinkedHashSet<>(dnsNames)) {
            names.add(new GeneralName(GeneralName.dNSName, n));
        }
        for (InetAddress a : new LinkedHashSet<>(addresses)) {
            names.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress()));
        }
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
        return sign(b, caKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        var holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
    }

    private static void write(Path file, String alias, PrivateKey key, List<X509Certificate> chain, String password)
            throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(alias, key, password.toCharArray(), chain.toArray(X509Certificate[]::new));
        var out = new ByteArrayOutputStream();
        ks.store(out, password.toCharArray());
        AtomicFiles.write(
                file, out.toByteArray(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    private static KeyStore read(Path file, String password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(Files.readAllBytes(file)), password.toCharArray());
        return ks;
    }

    public static String pem(X509Certificate c) throws IOException {
        var w = new StringWriter();
        try (var p = new JcaPEMWriter(w)) {
            p.writeObject(c);
        }
        return w.toString();
    }

    /** Reads a PEM certificate (a user's, for trust). */
    public static X509Certificate parsePem(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw VesselException.invalid("certificate", "not a PEM X.509 certificate: " + e.getMessage());
        }
    }
}
