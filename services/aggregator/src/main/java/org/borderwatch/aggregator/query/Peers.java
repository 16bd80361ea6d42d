package org.borderwatch.aggregator.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.state.HostInfo;
import org.borderwatch.aggregator.host.AggregatorSettings;
import org.borderwatch.service.security.ApiKeyAuthenticationFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests to the other aggregator instances, at their {@code application.server}. The caller's own credentials go
 * along (API key header or bearer token), so the instance that answers applies the same authorization; the
 * {@value #FORWARDED_HEADER} header names the forwarding instance, so a request is never forwarded twice (when two
 * instances disagree about an owner, a rebalance is under way and the answer is a 503).
 */
@Singleton
public final class Peers {

    /** Marks a request one instance sent to another; its value is the sender's {@code application.server}. */
    public static final String FORWARDED_HEADER = "X-Borderwatch-Forwarded-By";

    private static final Logger LOG = LoggerFactory.getLogger(Peers.class);

    private final HttpClient http;
    private final Duration timeout;

    public Peers(final AggregatorSettings settings) {
        this.timeout = settings.forwardTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The answer of a peer, or the failure that kept it from answering. */
    public record Answer(HostInfo peer, int status, String body, String contentType, String retryAfter) {
    }

    /** GETs {@code pathAndQuery} from {@code peer} with the caller's credentials; fails when it cannot be reached. */
    public CompletableFuture<Answer> get(final HostInfo peer, final String pathAndQuery, final HostInfo self,
                                         final HttpRequest<?> caller) {
        final java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest
                .newBuilder(URI.create("http://" + peer.host() + ":" + peer.port() + pathAndQuery))
                .timeout(timeout)
                .header(FORWARDED_HEADER, self.host() + ":" + self.port())
                .header(HttpHeaders.ACCEPT, "application/json");
        for (final String header : List.of(ApiKeyAuthenticationFetcher.API_KEY_HEADER, HttpHeaders.AUTHORIZATION)) {
            caller.getHeaders().getFirst(header).ifPresent(value -> request.header(header, value));
        }
        return http.sendAsync(request.GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new Answer(peer, response.statusCode(), response.body(),
                        response.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse("application/json"),
                        response.headers().firstValue(HttpHeaders.RETRY_AFTER).orElse(null)))
                .whenComplete((answer, error) -> {
                    if (error != null) {
                        LOG.info("Instance {} did not answer {}: {}", peer, pathAndQuery, describe(error));
                    }
                });
    }

    public static String describe(final Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpTimeoutException) {
            return "timed out";
        }
        return cause instanceof IOException && cause.getMessage() == null ? cause.getClass().getSimpleName()
                : String.valueOf(cause.getMessage());
    }
}
