package org.borderwatch.service.security;

import java.util.Optional;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a request by its API key, sent as {@code X-API-Key: <key>} or {@code Authorization: Bearer <key>}.
 * A request without a key, or with an unknown one, stays anonymous; {@code @Secured} endpoints then answer 401.
 */
@Singleton
public final class ApiKeyAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    public static final String API_KEY_HEADER = "X-API-Key";

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthenticationFetcher.class);
    private static final String BEARER = "Bearer ";

    private final CredentialStore store;

    public ApiKeyAuthenticationFetcher(final CredentialStore store) {
        this.store = store;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(final HttpRequest<?> request) {
        final Optional<String> key = presentedKey(request);
        if (key.isEmpty()) {
            return Publishers.empty();
        }
        final Optional<BorderwatchPrincipal> principal = store.authenticate(key.get());
        if (principal.isEmpty()) {
            // Never log the key, not even a part of it.
            LOG.info("Rejected an unknown API key on {} {} from {}; the request stays anonymous",
                    request.getMethodName(), request.getPath(), request.getRemoteAddress().getAddress());
            return Publishers.empty();
        }
        return Publishers.just(principal.get().toAuthentication());
    }

    static Optional<String> presentedKey(final HttpRequest<?> request) {
        final String apiKey = request.getHeaders().get(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            return Optional.of(apiKey.strip());
        }
        final String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            final String token = authorization.substring(BEARER.length()).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        }
        return Optional.empty();
    }
}
