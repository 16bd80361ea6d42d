package org.borderwatch.kafka.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/generate-certs.sh} (bash + openssl) makes what the compose brokers and the setup job load: PKCS12
 * key stores and a PEM CA, good for mutual TLS with host name verification, as Kafka's SSL channels use them.
 */
class GenerateCertsScriptTest {

    private static final Path SCRIPT = Path.of("..", "deploy", "generate-certs.sh");
    private static final String PASSWORD = "test-store-password-0123";

    @TempDir
    Path out;

    @Test
    void shouldIssueBrokerAndAdminStoresForMutualTlsWhenRun() throws Exception {
        final Result result = run(Map.of("BORDERWATCH_KAFKA_STORE_PASSWORD", PASSWORD), "--out", out.toString());

        assertThat(result.exit).as(result.output).isZero();
        for (final String name : List.of("ca.key", "kafka-1.p12", "kafka-2.p12", "kafka-3.p12", "admin.p12")) {
            assertThat(Files.getPosixFilePermissions(out.resolve(name))).as(name)
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        final KeyStore broker = load("kafka-2.p12");
        final X509Certificate certificate = (X509Certificate) broker.getCertificate("kafka-2");
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=kafka-2");
        assertThat(certificate.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
                .containsExactlyInAnyOrder("kafka-2", "localhost", "127.0.0.1");
        assertThat(broker.getCertificateChain("kafka-2")).hasSize(2);
        certificate.verify(ca().getPublicKey());

        // The admin's certificate is accepted by broker 2's mutual-TLS listener, which proves to be kafka-2
        assertThat(handshake("kafka-2.p12", "admin.p12", "kafka-2")).isEqualTo("CN=borderwatch-admin");
        // and a client without a certificate, or expecting another broker's name, is refused
        assertThatThrownBy(() -> handshake("kafka-2.p12", null, "kafka-2")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> handshake("kafka-2.p12", "admin.p12", "kafka-3"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void shouldKeepExistingStoresWhenRunAgainWithoutForce() throws Exception {
        assertThat(run(Map.of("BORDERWATCH_KAFKA_STORE_PASSWORD", PASSWORD), "--out", out.toString()).exit).isZero();
        final byte[] before = Files.readAllBytes(out.resolve("kafka-1.p12"));

        final Result again = run(Map.of("BORDERWATCH_KAFKA_STORE_PASSWORD", PASSWORD), "--out", out.toString());

        assertThat(again.exit).isZero();
        assertThat(again.output).contains("keeping");
        assertThat(Files.readAllBytes(out.resolve("kafka-1.p12"))).isEqualTo(before);
    }

    @Test
    void shouldRefuseToRunWhenTheStorePasswordIsMissingOrShort() throws Exception {
        final Result result = run(Map.of("BORDERWATCH_KAFKA_STORE_PASSWORD", "short"), "--out", out.toString());

        assertThat(result.exit).isEqualTo(2);
        assertThat(result.output).contains("BORDERWATCH_KAFKA_STORE_PASSWORD (at least 16 characters)");
        assertThat(out.resolve("ca.key")).doesNotExist();
    }

    /** One TLS handshake between a server with {@code serverStore} and a client; returns the client's principal. */
    private String handshake(final String serverStore, final String clientStore, final String expectedHost)
            throws Exception {
        final SSLContext server = context(serverStore);
        final SSLContext client = context(clientStore);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            final CompletableFuture<String> accepted = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(10_000);
                    socket.startHandshake();
                    return socket.getSession().getPeerPrincipal().getName();
                } catch (final IOException e) {
                    return "refused: " + e;
                }
            });
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                 SSLSocket socket = (SSLSocket) client.getSocketFactory()
                         .createSocket(plain, expectedHost, listener.getLocalPort(), true)) {
                final SSLParameters parameters = socket.getSSLParameters();
                // What Kafka's ssl.endpoint.identification.algorithm=https does: the name must be in the SAN.
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                // TLS 1.3 reports a refused client certificate on the first read, not in the handshake.
                socket.getOutputStream().write(1);
                socket.getInputStream().read();
            }
            final String principal = accepted.get(20, TimeUnit.SECONDS);
            if (principal.startsWith("refused")) {
                throw new IOException(principal);
            }
            return principal;
        }
    }

    private SSLContext context(final String keyStore) throws Exception {
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        if (keyStore != null) {
            keys.init(load(keyStore), PASSWORD.toCharArray());
        } else {
            final KeyStore empty = KeyStore.getInstance("PKCS12");
            empty.load(null, null);
            keys.init(empty, new char[0]);
        }
        final KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca());
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private X509Certificate ca() throws Exception {
        try (InputStream in = Files.newInputStream(out.resolve("ca.crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private KeyStore load(final String name) throws Exception {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(out.resolve(name))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static Result run(final Map<String, String> env, final String... args) throws Exception {
        final List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("BORDERWATCH_KAFKA_STORE_PASSWORD");
        builder.environment().putAll(env);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exit, String output) {
    }
}
