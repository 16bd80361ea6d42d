package org.borderwatch.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.borderwatch.kafka.access.AccessPolicy;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single SASL_SSL broker restarted on its data directory: what clients keep, and what they must fetch again. */
class SecureRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldReuseCertificatesAndPasswordsWhenRestartedAndRegenerateCertificatesWhenTheKeyStoreIsGone()
            throws Exception {
        // Given a secured single broker holding one incident, and the ingest client's settings of that first run
        final Map<String, Object> firstRun;
        final String fingerprint;
        try (EmbeddedKafkaCluster kafka = secured().start()) {
            kafka.createTopics();
            firstRun = kafka.clientProperties(AccessPolicy.INGEST);
            fingerprint = kafka.securityFiles().brokerCertificateFingerprint();
            assertThat(kafka.securityFiles().generatedCertificates()).isTrue();
            produce(firstRun, "first");
        }
        final Path oldTrustStore = Files.copy(Path.of((String) firstRun.get(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG)),
                dataDir.resolve("old-truststore.p12"));

        // When it restarts on the same directory
        try (EmbeddedKafkaCluster kafka = secured().start()) {
            // Then the certificate and passwords are the same: the first run's client settings still work
            assertThat(kafka.securityFiles().generatedCertificates()).isFalse();
            assertThat(kafka.securityFiles().brokerCertificateFingerprint()).isEqualTo(fingerprint);
            final Map<String, Object> secondRun = new HashMap<>(firstRun);
            // Only the ephemeral ports are new.
            secondRun.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            assertThat(kafka.clientProperties(AccessPolicy.INGEST)).isEqualTo(secondRun);
            produce(secondRun, "second");
            assertThat(TestClients.consume(kafka, Topics.INCIDENTS.name(), 2, IsolationLevel.READ_COMMITTED))
                    .containsExactlyInAnyOrder("first", "second");
        }

        // When the broker's key store is lost, the next start makes a new CA and certificate
        Files.delete(dataDir.resolve(SecurityFiles.DIR).resolve(SecurityFiles.KEYSTORE));
        try (EmbeddedKafkaCluster kafka = secured().start()) {
            assertThat(kafka.securityFiles().generatedCertificates()).isTrue();
            assertThat(kafka.securityFiles().brokerCertificateFingerprint()).isNotEqualTo(fingerprint);

            // Then the passwords are kept, but a client trusting the old CA fails its TLS handshake
            assertThat(kafka.clientProperties(AccessPolicy.INGEST).get(SaslConfigs.SASL_JAAS_CONFIG))
                    .isEqualTo(firstRun.get(SaslConfigs.SASL_JAAS_CONFIG));
            final Map<String, Object> stale = new HashMap<>(kafka.clientProperties(AccessPolicy.INGEST));
            stale.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, oldTrustStore.toString());
            try (Admin admin = Admin.create(stale)) {
                assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(10_000))
                        .clusterId().get())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SslAuthenticationException.class);
            }
            produce(kafka.clientProperties(AccessPolicy.INGEST), "third");
        }
    }

    private EmbeddedKafkaCluster secured() {
        return EmbeddedKafkaCluster.builder().dataDir(dataDir).security(Security.saslSsl()).build();
    }

    private static void produce(final Map<String, Object> client, final String value) throws Exception {
        final Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, TestClients.STRING_SERIALIZER);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, TestClients.STRING_SERIALIZER);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(Topics.INCIDENTS.name(), "TJ-KT", value)).get(30, TimeUnit.SECONDS);
        }
    }
}
