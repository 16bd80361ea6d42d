package org.borderwatch.bench.pipeline;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client per the WHATWG event-stream format, on one connection read by the HTTP client's
 * thread: every event is stamped with {@link System#nanoTime()} as its last line arrives, before anything else is
 * done with it, and kept; comments ({@code : stream open at ...}, heartbeats) are kept too.
 */
public final class SseSubscriber implements AutoCloseable {

    /** One event: {@code data} is the JSON of the json format, {@code receivedNanos} when its blank line was read. */
    public record Event(String id, String event, String data, long receivedNanos) {

        /** The alert of a {@code json}-format event: {@code data} of {@code {"type", "timestamp", "data"}}. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> alert() {
            return (Map<String, Object>) Api.map(data).get("data");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Consumer<Event> listener;
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final java.util.concurrent.atomic.AtomicInteger listenerFailures =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile int status;
    private volatile boolean ended;

    private SseSubscriber(final HttpRequest request, final Consumer<Event> listener) {
        this.listener = listener;
        this.response = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        // Its own reader thread: the common pool has one thread on two cores, and a stream blocks it for good.
        response.thenAcceptAsync(this::read, runnable -> {
            final Thread reader = new Thread(runnable, "sse-subscriber");
            reader.setDaemon(true);
            reader.start();
        });
    }

    /** Opens {@code uri} ({@code .../v1/alerts/stream?region=TJ-KT}) with the key; events go to the listener too. */
    public static SseSubscriber open(final URI uri, final String key, final Consumer<Event> listener) {
        return new SseSubscriber(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header("X-API-Key", key).GET().build(), listener);
    }

    public static SseSubscriber open(final URI uri, final String key) {
        return open(uri, key, event -> { });
    }

    private void read(final HttpResponse<Stream<String>> answer) {
        status = answer.statusCode();
        String id = null;
        String event = null;
        final List<String> data = new ArrayList<>();
        try (Stream<String> lines = answer.body()) {
            for (final String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        final Event complete = new Event(id, event == null ? "message" : event,
                                String.join("\n", data), System.nanoTime());
                        events.add(complete);
                        try {
                            listener.accept(complete);
                        } catch (final RuntimeException e) {
                            // A listener's bug must not end the stream; counted for whoever reads the events.
                            listenerFailures.incrementAndGet();
                        }
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
            // the connection was closed
        } finally {
            ended = true;
        }
    }

    /** The stream is open once the service has sent its opening comment ({@code : stream open at <position>}). */
    public boolean isOpen() {
        return status == 200 && comments.stream().anyMatch(comment -> comment.startsWith("stream open"));
    }

    public int status() {
        return status;
    }

    public boolean ended() {
        return ended;
    }

    /** Events the listener threw on (they are still in {@link #events()}). */
    public int listenerFailures() {
        return listenerFailures.get();
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(answer -> {
            try {
                answer.body().close();
            } catch (final RuntimeException e) {
                // already closed
            }
        });
    }
}
