package org.borderwatch.kafka.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.borderwatch.kafka.access.ClusterAccess;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets of a SASL_SSL cluster, kept in {@code <data-dir>/security/} (directory and files owner-only):
 * <pre>
 * secrets.properties   the key/trust store password and one random SCRAM password per user
 * broker.p12           the brokers' key (EC P-256) and certificate (SAN IP:127.0.0.1, DNS:localhost; client and
 *                      server auth), chained to the CA; the brokers' principal on the mutual-TLS listeners
 * truststore.p12       the CA certificate, for clients
 * ca.crt               the CA certificate in PEM
 * client-&lt;user&gt;.properties   ready-made client configurations, one per SCRAM user
 * </pre>
 * Everything is generated on the first start of a data directory and reused afterwards, so clients keep their trust
 * store and passwords across restarts. The certificates are generated again (new CA, new key) when the broker
 * certificate expires within {@link #RENEW_BEFORE} or a store is missing; passwords are kept. The CA's private key
 * is never written: nothing can sign another certificate for this cluster.
 */
final class SecurityFiles {

    static final String DIR = "security";
    static final String SECRETS = "secrets.properties";
    static final String KEYSTORE = "broker.p12";
    static final String TRUSTSTORE = "truststore.p12";
    static final String CA_PEM = "ca.crt";
    static final String BROKER_ALIAS = "broker";
    /** The brokers' principal on the mutual-TLS listeners (inter-broker, controller): a super user. */
    static final String BROKER_PRINCIPAL = "User:CN=borderwatch-broker";
    static final Duration VALIDITY = Duration.ofDays(825);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(SecurityFiles.class);
    private static final String STORE_PASSWORD = "store.password";
    private static final String USER_PREFIX = "user.";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;
    private final String storePassword;
    private final Map<String, String> passwords;
    private final boolean generatedCertificates;
    private final String fingerprint;

    private SecurityFiles(final Path dir, final String storePassword, final Map<String, String> passwords,
                          final boolean generatedCertificates) throws IOException, GeneralSecurityException {
        this.dir = dir;
        this.storePassword = storePassword;
        this.passwords = Map.copyOf(passwords);
        this.generatedCertificates = generatedCertificates;
        this.fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(brokerCertificate(dir, storePassword).getEncoded()));
    }

    /**
     * Reads the secrets of {@code dataDir}, adding a random password for each user that has none yet, and generates
     * the certificates unless valid ones exist.
     */
    static SecurityFiles loadOrCreate(final Path dataDir, final Collection<String> users, final Clock clock) {
        final Path dir = dataDir.resolve(DIR);
        try {
            createPrivateDirectory(dir);
            final Path secretsFile = dir.resolve(SECRETS);
            final Properties secrets = readSecrets(secretsFile);
            boolean changed = false;
            if (secrets.getProperty(STORE_PASSWORD) == null) {
                secrets.setProperty(STORE_PASSWORD, randomPassword());
                changed = true;
            }
            final Map<String, String> passwords = new LinkedHashMap<>();
            for (final String user : users) {
                if (secrets.getProperty(USER_PREFIX + user) == null) {
                    secrets.setProperty(USER_PREFIX + user, randomPassword());
                    changed = true;
                }
                passwords.put(user, secrets.getProperty(USER_PREFIX + user));
            }
            if (changed) {
                writePrivately(secretsFile, out -> {
                    try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                        secrets.store(writer, "borderwatch embedded Kafka secrets: keep private");
                    }
                });
            }
            final String storePassword = secrets.getProperty(STORE_PASSWORD);
            final boolean generate = !certificatesValid(dir, storePassword, clock);
            if (generate) {
                final long start = System.nanoTime();
                generateCertificates(dir, storePassword.toCharArray(), clock.instant());
                LOG.info("Generated a CA and the broker certificate in {} in {} ms", dir,
                        Duration.ofNanos(System.nanoTime() - start).toMillis());
            }
            return new SecurityFiles(dir, storePassword, passwords, generate);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka security files in " + dir, e);
        } catch (final GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the Kafka certificates in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads what {@link #loadOrCreate} made for {@code dataDir}, changing nothing: for a process that runs one node
     * of a cluster whose other nodes run elsewhere ({@link KafkaNodeProcesses}), which must use the same CA, key
     * and passwords as they, not make its own.
     *
     * @throws IllegalStateException if the secrets or a store are missing
     */
    static SecurityFiles load(final Path dataDir) {
        final Path dir = dataDir.resolve(DIR);
        try {
            final Path secretsFile = dir.resolve(SECRETS);
            if (!Files.exists(secretsFile) || !Files.exists(dir.resolve(KEYSTORE))
                    || !Files.exists(dir.resolve(TRUSTSTORE))) {
                throw new IllegalStateException(dir + " lacks " + SECRETS + ", " + KEYSTORE + " or " + TRUSTSTORE
                        + ": the cluster's security files are made once, before its node processes start");
            }
            final Properties secrets = readSecrets(secretsFile);
            if (secrets.getProperty(STORE_PASSWORD) == null) {
                throw new IllegalStateException(secretsFile + " holds no " + STORE_PASSWORD);
            }
            final Map<String, String> passwords = new LinkedHashMap<>();
            for (final String name : secrets.stringPropertyNames()) {
                if (name.startsWith(USER_PREFIX)) {
                    passwords.put(name.substring(USER_PREFIX.length()), secrets.getProperty(name));
                }
            }
            return new SecurityFiles(dir, secrets.getProperty(STORE_PASSWORD), passwords, false);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the Kafka security files in " + dir, e);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the broker key store in " + dir + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    Path keystore() {
        return dir.resolve(KEYSTORE);
    }

    Path truststore() {
        return dir.resolve(TRUSTSTORE);
    }

    String storePassword() {
        return storePassword;
    }

    /** SCRAM password by user name. */
    Map<String, String> passwords() {
        return passwords;
    }

    /** Whether this start generated the certificates (first start, expiry, or a missing store). */
    boolean generatedCertificates() {
        return generatedCertificates;
    }

    /** The SHA-256 fingerprint (hex) of the broker certificate as loaded or generated. */
    String brokerCertificateFingerprint() {
        return fingerprint;
    }

    /**
     * A SCRAM user's client configuration: {@code bootstrapServers}, SASL_SSL, SCRAM-SHA-512, the JAAS line with
     * the user's password, and the trust store (the CA).
     *
     * @throws IllegalArgumentException if there is no such user
     */
    Map<String, Object> clientProperties(final String bootstrapServers, final String user) {
        final String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no SCRAM user " + user + "; users: " + passwords.keySet());
        }
        final Map<String, Object> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        props.put(SaslConfigs.SASL_MECHANISM, ClusterAccess.SCRAM_MECHANISM);
        props.put(SaslConfigs.SASL_JAAS_CONFIG, ClusterAccess.jaasConfig(user, password));
        props.putAll(trustStore());
        return props;
    }

    /** The trust store holding the CA, as client (and broker) settings. */
    Map<String, String> trustStore() {
        return Map.of(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12",
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore().toString(),
                SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, storePassword);
    }

    /** Writes {@code properties} to {@code name} in the security directory, readable by the owner only. */
    void writeClientProperties(final String name, final Map<String, Object> properties) {
        final Properties file = new Properties();
        properties.forEach((key, value) -> file.setProperty(key, String.valueOf(value)));
        try {
            writePrivately(dir.resolve(name), out -> {
                try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                    file.store(writer, "borderwatch embedded Kafka client configuration: keep private");
                }
            });
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    private static Properties readSecrets(final Path secretsFile) throws IOException {
        final Properties secrets = new Properties();
        if (Files.exists(secretsFile)) {
            try (Reader reader = Files.newBufferedReader(secretsFile)) {
                secrets.load(reader);
            }
        }
        return secrets;
    }

    private static boolean certificatesValid(final Path dir, final String storePassword, final Clock clock) {
        if (!Files.exists(dir.resolve(KEYSTORE)) || !Files.exists(dir.resolve(TRUSTSTORE))) {
            return false;
        }
        try {
            final X509Certificate broker = brokerCertificate(dir, storePassword);
            return broker.getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE));
        } catch (final IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("Cannot read the broker key store in {} ({}); generating new certificates", dir, e.toString());
            return false;
        }
    }

    private static X509Certificate brokerCertificate(final Path dir, final String storePassword)
            throws IOException, GeneralSecurityException {
        final KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(KEYSTORE))) {
            keystore.load(in, storePassword.toCharArray());
        }
        final Certificate certificate = keystore.getCertificate(BROKER_ALIAS);
        if (!(certificate instanceof X509Certificate x509)) {
            throw new GeneralSecurityException("no " + BROKER_ALIAS + " certificate in " + KEYSTORE);
        }
        return x509;
    }

    private static void generateCertificates(final Path dir, final char[] password, final Instant now)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        final KeyPair caKeys = ecKeyPair();
        final X500Name caName = new X500Name("CN=borderwatch embedded Kafka CA");
        final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        final X509v3CertificateBuilder ca = builder(caName, caName, caKeys.getPublic(), now)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
        final X509Certificate caCertificate = sign(ca, caKeys.getPrivate());

        final KeyPair brokerKeys = ecKeyPair();
        final X509v3CertificateBuilder broker = builder(caName,
                new X500Name(BROKER_PRINCIPAL.substring("User:".length())), brokerKeys.getPublic(), now)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[]{
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
                        new GeneralName(GeneralName.dNSName, "localhost")}))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(caCertificate));
        final X509Certificate brokerCertificate = sign(broker, caKeys.getPrivate());

        final KeyStore keystore = emptyStore();
        keystore.setKeyEntry(BROKER_ALIAS, brokerKeys.getPrivate(), password,
                new Certificate[]{brokerCertificate, caCertificate});
        final KeyStore truststore = emptyStore();
        truststore.setCertificateEntry("ca", caCertificate);
        writePrivately(dir.resolve(KEYSTORE), out -> storeTo(keystore, out, password));
        writePrivately(dir.resolve(TRUSTSTORE), out -> storeTo(truststore, out, password));
        final String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(caCertificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        writePrivately(dir.resolve(CA_PEM), out -> out.write(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static X509v3CertificateBuilder builder(final X500Name issuer, final X500Name subject,
                                                    final PublicKey key, final Instant now) {
        // Backdated a little: the clocks of a test machine and its clients are the same, but leap over nothing.
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, key);
    }

    private static X509Certificate sign(final X509v3CertificateBuilder builder, final PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static void storeTo(final KeyStore store, final OutputStream out, final char[] password)
            throws IOException {
        try {
            store.store(out, password);
        } catch (final GeneralSecurityException e) {
            throw new IOException("cannot write a PKCS12 store", e);
        }
    }

    /** 32 random bytes, base64url: no character that needs quoting in a JAAS line or a properties file. */
    private static String randomPassword() {
        final byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void createPrivateDirectory(final Path dir) throws IOException {
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Writes a new owner-only file next to {@code target}, then moves it into place: never readable by others. */
    private static void writePrivately(final Path target, final Content content) throws IOException {
        final Path temporary = POSIX
                ? Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                content.writeTo(out);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }
}
