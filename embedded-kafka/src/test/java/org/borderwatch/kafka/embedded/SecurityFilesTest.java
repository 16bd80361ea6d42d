package org.borderwatch.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.apache.kafka.common.config.SaslConfigs;
import org.borderwatch.kafka.access.ClusterAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificates and passwords of a SASL_SSL data directory, without a broker. */
class SecurityFilesTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    @Test
    void shouldGenerateOwnerOnlyFilesWithALoopbackCertificateWhenTheDataDirIsNew() throws Exception {
        final SecurityFiles files = SecurityFiles.loadOrCreate(dataDir, List.of("admin", "ingest"), NOW);

        assertThat(files.generatedCertificates()).isTrue();
        assertThat(files.passwords()).containsOnlyKeys("admin", "ingest");
        assertThat(files.passwords().get("admin")).hasSize(43).isNotEqualTo(files.passwords().get("ingest"));
        assertThat(Files.getPosixFilePermissions(files.dir()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        for (final String name : List.of(SecurityFiles.SECRETS, SecurityFiles.KEYSTORE, SecurityFiles.TRUSTSTORE,
                SecurityFiles.CA_PEM)) {
            assertThat(Files.getPosixFilePermissions(files.dir().resolve(name)))
                    .as(name).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        // No CA private key is kept: only the broker's key is in any store.
        try (var listing = Files.list(files.dir())) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(SecurityFiles.SECRETS, SecurityFiles.KEYSTORE,
                            SecurityFiles.TRUSTSTORE, SecurityFiles.CA_PEM);
        }
        final KeyStore keystore = load(files.keystore(), files.storePassword());
        assertThat(List.of(keystore.aliases().asIterator()).size()).isOne();
        final X509Certificate broker = (X509Certificate) keystore.getCertificate(SecurityFiles.BROKER_ALIAS);
        assertThat(broker.getSubjectX500Principal().getName()).isEqualTo("CN=borderwatch-broker");
        assertThat(broker.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
                .containsExactlyInAnyOrder("127.0.0.1", "localhost");
        assertThat(broker.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        final X509Certificate ca = (X509Certificate) load(files.truststore(), files.storePassword())
                .getCertificate("ca");
        broker.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isZero();
    }

    @Test
    void shouldReuseCertificatesAndKeepPasswordsWhenLoadedAgain() {
        final SecurityFiles first = SecurityFiles.loadOrCreate(dataDir, List.of("admin"), NOW);

        final SecurityFiles second = SecurityFiles.loadOrCreate(dataDir, List.of("admin", "engineer"),
                Clock.offset(NOW, Duration.ofDays(365)));

        assertThat(second.generatedCertificates()).isFalse();
        assertThat(second.brokerCertificateFingerprint()).isEqualTo(first.brokerCertificateFingerprint());
        assertThat(second.storePassword()).isEqualTo(first.storePassword());
        assertThat(second.passwords()).containsEntry("admin", first.passwords().get("admin"))
                .containsKey("engineer");
    }

    @Test
    void shouldRegenerateCertificatesButKeepPasswordsWhenTheBrokerCertificateIsAboutToExpire() {
        final SecurityFiles first = SecurityFiles.loadOrCreate(dataDir, List.of("admin"), NOW);

        final SecurityFiles renewed = SecurityFiles.loadOrCreate(dataDir, List.of("admin"),
                Clock.offset(NOW, SecurityFiles.VALIDITY.minus(SecurityFiles.RENEW_BEFORE).plusDays(1)));

        assertThat(renewed.generatedCertificates()).isTrue();
        assertThat(renewed.brokerCertificateFingerprint()).isNotEqualTo(first.brokerCertificateFingerprint());
        assertThat(renewed.passwords()).isEqualTo(first.passwords());
    }

    @Test
    void shouldRegenerateCertificatesWhenAStoreIsMissing() throws Exception {
        final SecurityFiles first = SecurityFiles.loadOrCreate(dataDir, List.of("admin"), NOW);
        Files.delete(first.truststore());

        final SecurityFiles second = SecurityFiles.loadOrCreate(dataDir, List.of("admin"), NOW);

        assertThat(second.generatedCertificates()).isTrue();
        assertThat(second.truststore()).exists();
        assertThat(second.brokerCertificateFingerprint()).isNotEqualTo(first.brokerCertificateFingerprint());
    }

    @Test
    void shouldReadTheSameCertificateAndPasswordsWithoutWritingWhenANodeProcessLoadsThem() throws Exception {
        final SecurityFiles made = SecurityFiles.loadOrCreate(dataDir, List.of("admin", "ingest"), NOW);
        final FileTime written = Files.getLastModifiedTime(made.dir().resolve(SecurityFiles.SECRETS));

        final SecurityFiles loaded = SecurityFiles.load(dataDir);

        assertThat(loaded.generatedCertificates()).isFalse();
        assertThat(loaded.brokerCertificateFingerprint()).isEqualTo(made.brokerCertificateFingerprint());
        assertThat(loaded.passwords()).isEqualTo(made.passwords());
        assertThat(Files.getLastModifiedTime(made.dir().resolve(SecurityFiles.SECRETS))).isEqualTo(written);
        assertThat(loaded.clientProperties("127.0.0.1:1", "ingest")).containsEntry(SaslConfigs.SASL_JAAS_CONFIG,
                ClusterAccess.jaasConfig("ingest", made.passwords().get("ingest")));
    }

    @Test
    void shouldRefuseToLoadWhenNoProcessMadeTheSecurityFilesBefore() throws Exception {
        assertThatThrownBy(() -> SecurityFiles.load(dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("made once, before its node processes start");
        final SecurityFiles made = SecurityFiles.loadOrCreate(dataDir, List.of("admin"), NOW);
        Files.delete(made.keystore());

        assertThatThrownBy(() -> SecurityFiles.load(dataDir)).isInstanceOf(IllegalStateException.class);
        assertThat(made.keystore()).doesNotExist();
    }

    private static KeyStore load(final Path file, final String password) throws Exception {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
