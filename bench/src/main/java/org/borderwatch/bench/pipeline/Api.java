package org.borderwatch.bench.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A raw JSON-over-HTTP client of one service on 127.0.0.1, authenticated with {@code X-API-Key}. */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public Api(final URI base) {
        this.base = base;
    }

    public URI uri(final String path) {
        return base.resolve(path);
    }

    public HttpResponse<String> get(final String path, final String key) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return send(request.GET().build());
    }

    /** {@code body}: a map or list (sent as JSON) or a string (sent as it is). */
    public HttpResponse<String> post(final String path, final String key, final Object body) {
        return send(postRequest(path, key, "application/json", body));
    }

    /** {@code POST} without waiting: the background load of the benchmark. */
    public CompletableFuture<HttpResponse<String>> postAsync(final String path, final String key,
                                                             final String contentType, final String body) {
        return http.sendAsync(postRequest(path, key, contentType, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest postRequest(final String path, final String key, final String contentType,
                                    final Object body) {
        return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .header("Content-Type", contentType).header("X-API-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : write(body)))
                .build();
    }

    /** A 200 answer within 2 s, false on any other answer or when the service does not answer yet. */
    public boolean isUp(final String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> send(final HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.uri(), e);
        }
    }

    public static String write(final Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object as a map (numbers as Integer, Long or Double). */
    public static Map<String, Object> map(final String json) {
        try {
            return JSON.readValue(json, new TypeReference<>() { });
        } catch (final IOException e) {
            throw new UncheckedIOException("not a JSON object: " + json, e);
        }
    }

    /**
     * The alert of a json-format SSE event or webhook body ({@code {"type", "timestamp", "data"}}): its
     * {@code data} object.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> alert(final String json) {
        return (Map<String, Object>) map(json).get("data");
    }

    /** The list of objects under {@code field} of a JSON object. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(final String json, final String field) {
        return (List<Map<String, Object>>) map(json).get(field);
    }
}
