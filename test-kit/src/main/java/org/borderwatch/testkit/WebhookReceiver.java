package org.borderwatch.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook endpoint on 127.0.0.1 (an ephemeral port) that records every request and answers each path from a
 * script of status codes (then 200; {@link #SLOW} answers after longer than a sender's request timeout; a 3xx
 * carries a {@code Location}), with its own implementation of the Standard Webhooks signature check (not the
 * service's signer).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** Answer so late that the sender's request timeout (1 s in the alert service's tests) expires first. */
    public static final int SLOW = -1;

    /** One received request: the Standard Webhooks headers, the content type and the raw body. */
    public record Received(String path, String id, String timestamp, String signature, String contentType,
                           String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        final Thread thread = new Thread(runnable, "webhook-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, List<Integer>> scripts = new ConcurrentHashMap<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers the next requests to {@code path} with these statuses, then 200. */
    public WebhookReceiver script(final String path, final Integer... statuses) {
        scripts.put(path, new CopyOnWriteArrayList<>(List.of(statuses)));
        return this;
    }

    public String url(final String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The requests to {@code path}, in arrival order. */
    public List<Received> received(final String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void handle(final HttpExchange exchange) throws IOException {
        final String path = exchange.getRequestURI().getPath();
        final byte[] body = exchange.getRequestBody().readAllBytes();
        final var headers = exchange.getRequestHeaders();
        received.add(new Received(path, headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                headers.getFirst("webhook-signature"), headers.getFirst("Content-Type"),
                new String(body, StandardCharsets.UTF_8)));
        final List<Integer> script = scripts.getOrDefault(path, new ArrayList<>());
        final int status = script.isEmpty() ? 200 : script.remove(0);
        if (status == SLOW) {
            try {
                // Plays an endpoint that hangs; not test synchronisation.
                Thread.sleep(3000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
        } else {
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().add("Location", url("/redirect-target"));
            }
            exchange.sendResponseHeaders(status, -1);
        }
        exchange.close();
    }

    /**
     * Standard Webhooks: the signed content is {@code <webhook-id>.<webhook-timestamp>.<body>}; the key is the
     * base64-decoded part of the secret after {@code whsec_}; the header holds space-separated {@code v1,<base64
     * HMAC-SHA256>} signatures, any of which may match (rotation). Compared in constant time; a request without the
     * headers never verifies.
     */
    public static boolean verifies(final Received request, final String secret) {
        if (request.id() == null || request.timestamp() == null || request.signature() == null
                || !secret.startsWith("whsec_")) {
            return false;
        }
        final byte[] expected;
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    "HmacSHA256"));
            expected = mac.doFinal((request.id() + "." + request.timestamp() + "." + request.body())
                    .getBytes(StandardCharsets.UTF_8));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (final String signature : request.signature().split(" ")) {
            if (signature.startsWith("v1,") && MessageDigest.isEqual(expected, decode(signature.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] decode(final String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (final IllegalArgumentException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
