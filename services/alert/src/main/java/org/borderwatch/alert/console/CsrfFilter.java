package org.borderwatch.alert.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;

/**
 * Refuses a state-changing request (anything but GET, HEAD, OPTIONS) that a browser may have been tricked into
 * sending. Besides the cookie's {@code SameSite=Strict}, two independent checks:
 * <ul>
 *   <li>a request sent with the session cookie (and no API key, which a cross-site page cannot add) must carry the
 *       session's token in {@value #HEADER}: a synchronizer token only the console's own script can read;</li>
 *   <li>a browser that says the request comes from another site ({@code Sec-Fetch-Site}) or another origin
 *       ({@code Origin} not this host) is refused, sign-in included (no login CSRF).</li>
 * </ul>
 * Runs before authentication, so a forged request is refused before anything looks at it.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class CsrfFilter implements io.micronaut.core.order.Ordered {

    /** The request header that carries the CSRF token. */
    public static final String HEADER = "X-CSRF-Token";
    static final String TYPE_CSRF = "urn:borderwatch:problem:csrf";

    private static final List<HttpMethod> SAFE = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @RequestFilter
    public void check(final HttpRequest<?> request) {
        if (SAFE.contains(request.getMethod())) {
            return;
        }
        final String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw refused("Sec-Fetch-Site", "same-origin", "the browser says this request comes from another site ("
                    + site + "); state-changing requests are accepted from the console's own pages only");
        }
        final String origin = request.getHeaders().getOrigin().orElse(null);
        if (origin != null && !sameOrigin(origin, request)) {
            throw refused("Origin", "same-origin", "the request comes from " + origin
                    + ", not from this service's own origin");
        }
        if (SessionAuthenticationFetcher.presentsApiKey(request) || isSignIn(request)) {
            return;
        }
        final Optional<String> sessionId = SessionAuthenticationFetcher.sessionId(request);
        if (sessionId.isEmpty()) {
            return;
        }
        final String token = request.getHeaders().get(HEADER);
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                SessionStore.csrfToken(sessionId.get()).getBytes(StandardCharsets.UTF_8))) {
            throw refused(HEADER, "csrf-token", "a request made with the console session cookie must carry the"
                    + " session's CSRF token in the " + HEADER + " header (from GET /console/session)");
        }
    }

    private static boolean isSignIn(final HttpRequest<?> request) {
        return request.getMethod() == HttpMethod.POST && SessionController.PATH.equals(request.getPath());
    }

    private static boolean sameOrigin(final String origin, final HttpRequest<?> request) {
        final String host = request.getHeaders().get("Host");
        if (host == null) {
            return false;
        }
        return origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host);
    }

    private static ProblemException refused(final String field, final String rule, final String message) {
        return new ProblemException(HttpStatus.FORBIDDEN, TYPE_CSRF, "Possible cross-site request refused",
                message, List.of(new Violation(field, rule, message)), null);
    }
}
