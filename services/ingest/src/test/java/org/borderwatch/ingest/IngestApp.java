package org.borderwatch.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import org.borderwatch.credentials.ApiKeys;
import org.borderwatch.credentials.CredentialsWriter;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

/**
 * The ingest service running in the test's JVM against a real broker, with four credentials (an agency of TJ-*, an
 * admin, an analyst and an operations center), and an HTTP client that sends raw bytes (so tests control every byte
 * and header). Close it before the broker: clients of a stopped broker wait out their close timeouts.
 */
public final class IngestApp implements AutoCloseable {

    public static final String AGENCY = "TJ-BORDER-GUARD";
    public static final String OTHER_AGENCY = "UZ-CUSTOMS";
    public static final String AGENCY_KEY = ApiKeys.generate();
    public static final String ADMIN_KEY = ApiKeys.generate();
    public static final String ANALYST_KEY = ApiKeys.generate();
    public static final String OPS_KEY = ApiKeys.generate();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final EmbeddedServer server;
    private final JsonMapper json;

    private IngestApp(final EmbeddedServer server) {
        this.server = server;
        this.json = server.getApplicationContext().getBean(JsonMapper.class);
    }

    /** Starts the service on a free port against {@code kafka}; {@code properties} override application.yml. */
    public static IngestApp start(final EmbeddedKafkaCluster kafka, final Path dir,
                                  final Map<String, Object> properties) {
        final Path credentials = dir.resolve("credentials-" + System.nanoTime() + ".yml");
        CredentialsWriter.write(credentials, List.of(
                CredentialsWriter.Entry.agency("tj-border-guard", AGENCY, AGENCY_KEY, "TJ-*"),
                CredentialsWriter.Entry.admin("root", ADMIN_KEY, "*"),
                CredentialsWriter.Entry.analyst("analyst", ANALYST_KEY, "*"),
                CredentialsWriter.Entry.opsCenter("ops", OPS_KEY, "*")));
        final Map<String, Object> all = new HashMap<>();
        all.put("micronaut.server.port", -1);
        all.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        all.put("borderwatch.security.credentials-file", credentials.toString());
        all.putAll(properties);
        return new IngestApp(ApplicationContext.run(EmbeddedServer.class, all));
    }

    public static IngestApp start(final EmbeddedKafkaCluster kafka, final Path dir) {
        return start(kafka, dir, Map.of());
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    public HttpResponse<String> post(final String path, final String contentType, final byte[] body,
                                     final String key) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return send(request.build());
    }

    /** POSTs {@code body} as JSON with the agency's key. */
    public HttpResponse<String> postJson(final String path, final Object body) {
        return post(path, "application/json", Json.bytes(body), AGENCY_KEY);
    }

    public HttpResponse<String> get(final String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build());
    }

    /** The response body as a map (problem details, receipts, batch results). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> body(final HttpResponse<String> response) {
        try {
            return json.readValue(response.body(), Map.class);
        } catch (final IOException e) {
            throw new UncheckedIOException("not a JSON object: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }

    private static HttpResponse<String> send(final HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
