package org.borderwatch.alert.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import org.borderwatch.alert.delivery.webhook.RetryWorker;
import org.borderwatch.alert.delivery.webhook.WebhookDispatcher;
import org.borderwatch.alert.log.AlertLog;
import org.borderwatch.alert.silence.SilenceStore;
import org.borderwatch.alert.subscription.SubscriptionSecrets;
import org.borderwatch.alert.subscription.SubscriptionStore;
import org.borderwatch.credentials.ApiKeys;
import org.borderwatch.credentials.CredentialsWriter;
import org.borderwatch.credentials.SecretKeyRing;
import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert service in the test's JVM against a real broker, with one credential per role and region, and a raw
 * HTTP client. Close it before the broker.
 */
public final class AlertApp implements AutoCloseable {

    public static final String OPS_TJ_KEY = ApiKeys.generate();
    public static final String OPS_UZ_KEY = ApiKeys.generate();
    public static final String ANALYST_KEY = ApiKeys.generate();
    public static final String ADMIN_KEY = ApiKeys.generate();
    public static final String AGENCY_KEY = ApiKeys.generate();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final EmbeddedServer server;
    private final JsonMapper json;
    private final Map<String, Object> properties;

    private AlertApp(final EmbeddedServer server, final Map<String, Object> properties) {
        this.server = server;
        this.json = server.getApplicationContext().getBean(JsonMapper.class);
        this.properties = properties;
    }

    /** Properties of a fresh deployment: unique group ids, its own state directory, loopback webhooks allowed. */
    public static Map<String, Object> freshProperties(final EmbeddedKafkaCluster kafka, final Path dir) {
        final Path credentials = dir.resolve("credentials-" + System.nanoTime() + ".yml");
        CredentialsWriter.write(credentials, List.of(
                CredentialsWriter.Entry.opsCenter("ops-tj", OPS_TJ_KEY, "TJ-*"),
                CredentialsWriter.Entry.opsCenter("ops-uz", OPS_UZ_KEY, "UZ-SU"),
                CredentialsWriter.Entry.analyst("analyst", ANALYST_KEY, "*"),
                CredentialsWriter.Entry.admin("root", ADMIN_KEY, "*"),
                CredentialsWriter.Entry.agency("tj-border-guard", "TJ-BG", AGENCY_KEY, "TJ-*")));
        final String unique = UUID.randomUUID().toString().substring(0, 8);
        final Map<String, Object> all = new HashMap<>();
        all.put("micronaut.server.port", -1);
        all.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        all.put("kafka.streams.state.dir", dir.resolve("streams-" + unique).toString());
        all.put("borderwatch.security.credentials-file", credentials.toString());
        // Generated per deployment, like the credentials: the test's own webhook-secret key.
        all.put(SubscriptionSecrets.KEYS_PROPERTY, SecretKeyRing.generate("test-" + unique));
        all.put("borderwatch.alert.lifecycle-application-id", "alert-lifecycle-" + unique);
        all.put("borderwatch.alert.webhooks.group-id", "alert-webhooks-" + unique);
        all.put("borderwatch.alert.webhooks.allow-loopback", true);
        all.put("borderwatch.alert.webhooks.retry-delays", "200ms,400ms,800ms");
        all.put("borderwatch.alert.webhooks.request-timeout", "1s");
        all.put("borderwatch.alert.sse.heartbeat", "1s");
        return all;
    }

    public static AlertApp start(final Map<String, Object> properties) {
        final AlertApp app = new AlertApp(ApplicationContext.run(EmbeddedServer.class, properties), properties);
        app.awaitReady();
        return app;
    }

    /** Starts without waiting for the stores and groups: for a service that cannot reach Kafka. */
    public static AlertApp startUnready(final Map<String, Object> properties) {
        return new AlertApp(ApplicationContext.run(EmbeddedServer.class, properties), properties);
    }

    public static AlertApp start(final EmbeddedKafkaCluster kafka, final Path dir) {
        return start(freshProperties(kafka, dir));
    }

    /** A new instance with the same configuration (same groups, state, credentials): a restart. */
    public AlertApp restart() {
        close();
        return start(properties);
    }

    public Map<String, Object> properties() {
        return properties;
    }

    private void awaitReady() {
        final Duration timeout = Duration.ofSeconds(30);
        assertThat(bean(AlertLog.class).awaitCaughtUp(timeout)).as("alert log caught up").isTrue();
        assertThat(bean(SubscriptionStore.class).awaitCaughtUp(timeout)).as("subscriptions caught up").isTrue();
        assertThat(bean(SilenceStore.class).awaitCaughtUp(timeout)).as("silences caught up").isTrue();
        // Changes written before the dispatcher joins its (new) group would be skipped: it starts at the end.
        org.awaitility.Awaitility.await().atMost(timeout).until(() -> bean(WebhookDispatcher.class).isAssigned()
                && bean(RetryWorker.class).isAssigned());
    }

    public <T> T bean(final Class<T> type) {
        return server.getApplicationContext().getBean(type);
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public int port() {
        return server.getPort();
    }

    public URI uri(final String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    public static String encode(final String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public HttpResponse<String> get(final String path, final String key) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return send(request.build());
    }

    public HttpResponse<String> post(final String path, final Object body, final String key) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build());
    }

    public HttpResponse<String> patch(final String path, final Object body, final String key) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/merge-patch+json").header("X-API-Key", key)
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build());
    }

    public HttpResponse<String> delete(final String path, final String key) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("X-API-Key", key).DELETE().build());
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> body(final HttpResponse<String> response) {
        try {
            return json.readValue(response.body(), Map.class);
        } catch (final IOException e) {
            throw new UncheckedIOException("not a JSON object: " + response.body(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> list(final HttpResponse<String> response, final String field) {
        return (List<Map<String, Object>>) body(response).get(field);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> parse(final String text) {
        try {
            return json.readValue(text, Map.class);
        } catch (final IOException e) {
            throw new UncheckedIOException("not a JSON object: " + text, e);
        }
    }

    public byte[] bytes(final Object body) {
        try {
            return body instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : json.writeValueAsBytes(body);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }

    static HttpResponse<String> send(final HttpRequest request) {
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
