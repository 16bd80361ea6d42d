package org.borderwatch.alert.support;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A minimal SSE client per the WHATWG event-stream format: collects events (id, event, data) and comment lines
 * from one connection on a background thread.
 */
public final class SseClient implements AutoCloseable {

    /** One dispatched event. */
    public record SseEvent(String id, String event, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile boolean ended;
    private volatile int status;
    private volatile String contentType;

    private SseClient(final HttpRequest request) {
        this.response = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(this::read);
    }

    public static SseClient open(final URI uri, final String key, final String lastEventId) {
        return open(uri, key, lastEventId, java.util.Map.of());
    }

    /** With more request headers, e.g. the console's session cookie. */
    public static SseClient open(final URI uri, final String key, final String lastEventId,
                                 final java.util.Map<String, String> headers) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        if (key != null) {
            request.header("X-API-Key", key);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseClient(request.build());
    }

    private void read(final HttpResponse<Stream<String>> answer) {
        status = answer.statusCode();
        contentType = answer.headers().firstValue("Content-Type").orElse(null);
        String id = null;
        String event = null;
        final List<String> data = new ArrayList<>();
        try (Stream<String> lines = answer.body()) {
            for (final String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new SseEvent(id, event == null ? "message" : event, String.join("\n", data)));
                    }
                    event = null;
                    data.clear();
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else {
                    final int colon = line.indexOf(':');
                    final String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data.add(value);
                        default -> { }
                    }
                }
            }
        } catch (final UncheckedIOException e) {
            // connection closed
        } finally {
            ended = true;
        }
    }

    public List<SseEvent> events() {
        return List.copyOf(events);
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public boolean ended() {
        return ended;
    }

    public String lastEventId() {
        final List<SseEvent> all = events();
        return all.isEmpty() ? null : all.get(all.size() - 1).id();
    }

    @Override
    public void close() {
        response.thenAccept(answer -> {
            try {
                answer.body().close();
            } catch (final RuntimeException e) {
                // already closed
            }
        });
        response.cancel(true);
    }

}
