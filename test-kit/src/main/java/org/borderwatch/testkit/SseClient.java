package org.borderwatch.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Server-Sent Events client per the WHATWG event-stream format, on one HTTP/1.1 connection. Lines are pushed by
 * the JDK {@link HttpClient}'s own threads through a {@link Flow.Subscriber}, so no thread is held per stream (ten
 * thousand streams in one JVM cost sockets and buffers, not threads). Every event is stamped with
 * {@link System#nanoTime()} as its blank line is read, before the listener sees it; comments ({@code : stream open
 * at ...}, heartbeats) are kept too.
 */
public final class SseClient implements AutoCloseable {

    /** One dispatched event; {@code receivedNanos} is when its terminating blank line was read. */
    public record SseEvent(String id, String event, String data, long receivedNanos) {
    }

    /** One client for every stream of the JVM: its selector thread serves them all. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    private final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Consumer<SseEvent> listener;
    private final AtomicInteger listenerFailures = new AtomicInteger();
    private final CompletableFuture<HttpResponse<Void>> response;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private volatile boolean ended;
    private volatile int status;
    private volatile String contentType;

    private SseClient(final HttpRequest request, final Consumer<SseEvent> listener) {
        this.listener = listener;
        this.response = HTTP.sendAsync(request, info -> {
            status = info.statusCode();
            contentType = info.headers().firstValue("Content-Type").orElse(null);
            return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines());
        });
        response.whenComplete((answer, error) -> {
            if (error != null) {
                ended = true;
            }
        });
    }

    /** Opens {@code uri} with these request headers; every event also goes to {@code listener}. */
    public static SseClient subscribe(final URI uri, final Map<String, String> headers,
                                      final Consumer<SseEvent> listener) {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        return new SseClient(request.GET().build(), listener);
    }

    /** With the API key ({@code X-API-Key}, none when null) and {@code Last-Event-ID} (none when null). */
    public static SseClient open(final URI uri, final String key, final String lastEventId) {
        return open(uri, key, lastEventId, Map.of());
    }

    /** As {@link #open(URI, String, String)}, with more request headers, e.g. the console's session cookie. */
    public static SseClient open(final URI uri, final String key, final String lastEventId,
                                 final Map<String, String> headers) {
        final Map<String, String> all = new LinkedHashMap<>(headers);
        if (key != null) {
            all.put("X-API-Key", key);
        }
        if (lastEventId != null) {
            all.put("Last-Event-ID", lastEventId);
        }
        return subscribe(uri, all, event -> { });
    }

    /** With the API key; every event also goes to {@code listener}, on the HTTP client's thread. */
    public static SseClient subscribe(final URI uri, final String key, final Consumer<SseEvent> listener) {
        return subscribe(uri, key == null ? Map.of() : Map.of("X-API-Key", key), listener);
    }

    /** The event-stream parser: fields accumulate until a blank line dispatches the event. */
    private final class Lines implements Flow.Subscriber<String> {

        private final List<String> data = new ArrayList<>();
        private String id;
        private String event;

        @Override
        public void onSubscribe(final Flow.Subscription subscribed) {
            subscription = subscribed;
            if (closed) {
                subscribed.cancel();
            } else {
                subscribed.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(final String line) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    dispatch(new SseEvent(id, event == null ? "message" : event, String.join("\n", data),
                            System.nanoTime()));
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

        @Override
        public void onError(final Throwable error) {
            // The connection was closed, by us or by the server: the stream has ended either way.
            ended = true;
        }

        @Override
        public void onComplete() {
            ended = true;
        }
    }

    private void dispatch(final SseEvent complete) {
        events.add(complete);
        try {
            listener.accept(complete);
        } catch (final RuntimeException e) {
            // A listener's bug must not end the stream; counted for whoever reads the events.
            listenerFailures.incrementAndGet();
        }
    }

    /** The stream is open once the service has sent its opening comment ({@code : stream open at <position>}). */
    public boolean isOpen() {
        return status == 200 && comments.stream().anyMatch(comment -> comment.startsWith("stream open"));
    }

    public List<SseEvent> events() {
        return List.copyOf(events);
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    /** The response status, 0 before the headers arrived. */
    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** The server closed the stream, the connection failed, or {@link #close()} was called. */
    public boolean ended() {
        return ended;
    }

    /** Events the listener threw on (they are still in {@link #events()}). */
    public int listenerFailures() {
        return listenerFailures.get();
    }

    /** The id of the last event received, for {@code Last-Event-ID}; null before any. */
    public String lastEventId() {
        final List<SseEvent> all = events();
        return all.isEmpty() ? null : all.get(all.size() - 1).id();
    }

    /** Closes the connection: cancelling the body subscription makes the HTTP client drop it. */
    @Override
    public void close() {
        closed = true;
        final Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        response.cancel(true);
    }
}
