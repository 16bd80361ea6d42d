package org.borderwatch.aggregator.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micronaut.json.JsonMapper;

/** A plain HTTP client for one service, with the API key per request, and JSON bodies as maps. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final JsonMapper json;

    Http(final String base, final JsonMapper json) {
        this.base = base;
        this.json = json;
    }

    HttpResponse<String> get(final String path, final String key) {
        return send(request(path, key).GET());
    }

    HttpResponse<String> post(final String path, final String key, final Object body) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8)));
    }

    HttpResponse<String> put(final String path, final String key, final Object body) {
        return send(request(path, key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8)));
    }

    HttpResponse<String> delete(final String path, final String key) {
        return send(request(path, key).DELETE());
    }

    /** The response body as a map. */
    @SuppressWarnings("unchecked")
    Map<String, Object> map(final HttpResponse<String> response) {
        try {
            return json.readValue(response.body(), Map.class);
        } catch (final IOException e) {
            throw new UncheckedIOException("not a JSON object: " + response.body(), e);
        }
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> list(final HttpResponse<String> response, final String field) {
        return (List<Map<String, Object>>) map(response).get(field);
    }

    private String write(final Object body) {
        try {
            return body instanceof String text ? text : json.writeValueAsString(body);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.Builder request(final String path, final String key) {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30));
        if (key != null) {
            builder.header("X-API-Key", key);
        }
        return builder;
    }

    private static HttpResponse<String> send(final HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
