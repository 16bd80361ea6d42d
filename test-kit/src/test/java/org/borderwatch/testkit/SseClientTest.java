package org.borderwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real HTTP server that writes an event stream by hand, as the WHATWG format allows it. */
class SseClientTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private HttpServer server;
    private final List<String> requestHeaders = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch disconnected = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/stream", this::stream);
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private void stream(final HttpExchange exchange) throws IOException {
        requestHeaders.add(exchange.getRequestHeaders().getFirst("X-API-Key") + "|"
                + exchange.getRequestHeaders().getFirst("Last-Event-ID"));
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        final OutputStream body = exchange.getResponseBody();
        write(body, ": stream open at 0-0\n\n"
                + "id: 0-1\nevent: alert\ndata: {\"a\":\ndata:1}\n\n"
                + ": heartbeat\n\n"
                + "data: no id or type\r\n\r\n"
                + "id: 0-3\ndata\nretry: 5\n\n");
        try {
            // Holds the stream open until the client leaves or the test ends; not synchronisation of the test.
            while (!release.await(50, TimeUnit.MILLISECONDS)) {
                write(body, ": heartbeat\n\n");
            }
        } catch (final IOException e) {
            disconnected.countDown();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private static void write(final OutputStream body, final String text) throws IOException {
        body.write(text.getBytes(StandardCharsets.UTF_8));
        body.flush();
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/stream");
    }

    @Test
    void shouldParseEventsAndCommentsWhenServerWritesTheFormatsVariants() {
        final List<SseClient.SseEvent> heard = new CopyOnWriteArrayList<>();
        try (SseClient client = SseClient.subscribe(uri(), "key-1", heard::add)) {
            await().atMost(WAIT).until(() -> client.events().size() == 3);

            assertThat(client.isOpen()).isTrue();
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.contentType()).isEqualTo("text/event-stream");
            assertThat(client.events()).extracting(SseClient.SseEvent::id, SseClient.SseEvent::event,
                    SseClient.SseEvent::data).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("0-1", "alert", "{\"a\":\n1}"),
                    org.assertj.core.groups.Tuple.tuple("0-1", "message", "no id or type"),
                    org.assertj.core.groups.Tuple.tuple("0-3", "message", ""));
            assertThat(client.lastEventId()).isEqualTo("0-3");
            assertThat(client.comments()).startsWith("stream open at 0-0", "heartbeat");
            assertThat(heard).containsExactlyElementsOf(client.events());
            assertThat(client.events()).extracting(SseClient.SseEvent::receivedNanos).isSorted();
            assertThat(requestHeaders).containsExactly("key-1|null");
        }
    }

    @Test
    void shouldSendLastEventIdAndKeepStreamingWhenListenerThrows() {
        try (SseClient client = SseClient.subscribe(uri(), java.util.Map.of("X-API-Key", "key-2", "Last-Event-ID", "0-9"),
                event -> {
                    throw new IllegalStateException("a listener's bug");
                })) {
            await().atMost(WAIT).until(() -> client.events().size() == 3);

            assertThat(client.listenerFailures()).isEqualTo(3);
            assertThat(client.ended()).isFalse();
            assertThat(requestHeaders).containsExactly("key-2|0-9");
        }
    }

    @Test
    void shouldDropTheConnectionWhenClosed() throws InterruptedException {
        final SseClient client = SseClient.open(uri(), null, null);
        await().atMost(WAIT).until(client::isOpen);

        client.close();

        assertThat(disconnected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the server saw the client go").isTrue();
        await().atMost(WAIT).until(client::ended);
    }

    @Test
    void shouldEndWhenNothingListens() {
        server.removeContext("/stream");
        try (SseClient client = SseClient.open(uri(), null, null)) {
            await().atMost(WAIT).until(() -> client.status() == 404);
            await().atMost(WAIT).until(client::ended);
            assertThat(client.isOpen()).isFalse();
        }
    }
}
