package org.borderwatch.alert.console;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import org.borderwatch.service.security.ApiKeyAuthenticationFetcher;
import org.reactivestreams.Publisher;

/**
 * Authenticates a request by its console session cookie as the very principal of the API key that signed in, so
 * every endpoint's role and region rules apply to the console unchanged. A request that presents an API key is left
 * to the API-key fetcher: the key decides, never a cookie sent along with it.
 */
@Singleton
public final class SessionAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    /** The session cookie. */
    public static final String COOKIE = "bw_session";
    /** Marks an authentication that came from a session (value: the session id), for sign-out and CSRF. */
    static final String ATTRIBUTE_SESSION = "consoleSession";

    private final SessionStore sessions;

    public SessionAuthenticationFetcher(final SessionStore sessions) {
        this.sessions = sessions;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(final HttpRequest<?> request) {
        if (presentsApiKey(request)) {
            return Publishers.empty();
        }
        return sessionId(request).flatMap(sessions::find).map(session -> {
            final Authentication authentication = session.principal().toAuthentication();
            final Map<String, Object> attributes = new HashMap<>(authentication.getAttributes());
            attributes.put(ATTRIBUTE_SESSION, session.id());
            return Publishers.just(Authentication.build(authentication.getName(), authentication.getRoles(),
                    attributes));
        }).orElseGet(Publishers::empty);
    }

    static boolean presentsApiKey(final HttpRequest<?> request) {
        return request.getHeaders().contains(ApiKeyAuthenticationFetcher.API_KEY_HEADER)
                || request.getHeaders().contains(HttpHeaders.AUTHORIZATION);
    }

    static Optional<String> sessionId(final HttpRequest<?> request) {
        return request.getCookies().findCookie(COOKIE).map(Cookie::getValue).filter(value -> !value.isBlank());
    }

    /** The session id of a session-authenticated request. */
    static Optional<String> sessionId(final Authentication authentication) {
        return Optional.ofNullable(authentication.getAttributes().get(ATTRIBUTE_SESSION)).map(String::valueOf);
    }
}
