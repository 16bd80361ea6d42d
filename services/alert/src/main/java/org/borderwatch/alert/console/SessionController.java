package org.borderwatch.alert.console;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.borderwatch.service.body.JsonBody;
import org.borderwatch.service.body.JsonFields;
import org.borderwatch.service.problem.ProblemException;
import org.borderwatch.service.problem.Violation;
import org.borderwatch.service.security.BorderwatchPrincipal;
import org.borderwatch.service.security.CredentialStore;
import org.borderwatch.service.security.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in, the current session and sign-out of the operations console. The API key travels once, in the body of the
 * sign-in POST; it is never logged, echoed or stored (the session keeps its SHA-256, the digest the credentials file
 * holds). Agencies publish, they do not watch: only ops-center, analyst and admin keys may sign in.
 */
@Controller(SessionController.PATH)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "console")
public final class SessionController {

    static final String PATH = "/console/session";
    static final int MAX_KEY_LENGTH = 256;
    static final String TYPE_UNAUTHORIZED = "urn:borderwatch:problem:unauthorized";

    private static final Logger LOG = LoggerFactory.getLogger(SessionController.class);
    private static final List<Role> CONSOLE_ROLES = List.of(Role.OPS_CENTER, Role.ANALYST, Role.ADMIN);

    /** The sign-in body, read strictly (an unknown field is refused) like every borderwatch body. */
    public record SignIn(String apiKey) {

        static final Set<String> FIELDS = Set.of("apiKey");
    }

    private final SessionStore sessions;
    private final CredentialStore credentials;
    private final ConsoleConfig config;

    public SessionController(final SessionStore sessions, final CredentialStore credentials,
                             final ConsoleConfig config) {
        this.sessions = sessions;
        this.credentials = credentials;
        this.config = config;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Sign in to the console with an API key (in the body); sets the session cookie")
    public HttpResponse<Map<String, Object>> signIn(@RequestBody(content = @Content(schema = @Schema(
                                                            implementation = SignIn.class)))
                                                    @Body @Nullable final byte[] body,
                                                    final HttpRequest<?> request) {
        final JsonFields fields = JsonBody.object(body, "a console sign-in", SignIn.FIELDS);
        final String text = fields.text("apiKey", true, MAX_KEY_LENGTH);
        fields.throwIfInvalid();
        final String key = text.strip();
        final BorderwatchPrincipal principal = credentials.authenticate(key).orElseThrow(() -> {
            LOG.info("Console sign-in with an unknown API key from {}", request.getRemoteAddress().getAddress());
            return new ProblemException(HttpStatus.UNAUTHORIZED, TYPE_UNAUTHORIZED, "Sign-in failed",
                    "This API key is not known.", List.of(new Violation("apiKey", "unknown-key",
                    "no credential has this API key")), null);
        });
        if (!CONSOLE_ROLES.contains(principal.role())) {
            throw ProblemException.forbidden("The console is for operations centers, analysts and administrators;"
                    + " this key belongs to " + principal.name() + " (" + principal.role().id() + ").",
                    List.of(new Violation("apiKey", "role-not-allowed", "role " + principal.role().id()
                            + " may not sign in to the console")));
        }
        final SessionStore.Session session = sessions.create(key, principal);
        LOG.info("Console session started for {} ({}), expires {}", principal.name(), principal.role().id(),
                session.expiresAt());
        final MutableHttpResponse<Map<String, Object>> response = HttpResponse.created(describe(session.principal(),
                session.expiresAt(), session.csrfToken()));
        return response.cookie(cookie(session.id(), config.sessionTtl(), request))
                .header("Cache-Control", "no-store");
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Who is signed in, until when, and the CSRF token for state-changing calls;"
            + " {\"signedIn\": false} without a session")
    public HttpResponse<Map<String, Object>> current(@Nullable final Authentication authentication) {
        if (authentication == null) {
            // An answer, not a 401: asking whether one is signed in is not an error (and a browser would log it).
            return HttpResponse.ok(Map.<String, Object>of("signedIn", false)).header("Cache-Control", "no-store");
        }
        final BorderwatchPrincipal principal = BorderwatchPrincipal.of(authentication);
        final Map<String, Object> body = SessionAuthenticationFetcher.sessionId(authentication)
                .flatMap(sessions::find)
                .map(session -> describe(principal, session.expiresAt(), session.csrfToken()))
                // Called with an API key: who it is, but there is no session and no token.
                .orElseGet(() -> describe(principal, null, null));
        return HttpResponse.ok(body).header("Cache-Control", "no-store");
    }

    @Delete
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Operation(summary = "Sign out: ends the session on every instance and clears the cookie")
    public HttpResponse<Void> signOut(final HttpRequest<?> request) {
        SessionAuthenticationFetcher.sessionId(request).ifPresent(id -> sessions.find(id).ifPresent(session -> {
            sessions.end(id);
            LOG.info("Console session of {} ended by sign-out", session.principal().name());
        }));
        return HttpResponse.<Void>noContent().cookie(cookie("", Duration.ZERO, request))
                .header("Cache-Control", "no-store");
    }

    private Cookie cookie(final String value, final Duration maxAge, final HttpRequest<?> request) {
        return Cookie.of(SessionAuthenticationFetcher.COOKIE, value)
                .path("/")
                .httpOnly(true)
                .sameSite(SameSite.Strict)
                .secure(config.secureCookie() || request.isSecure())
                .maxAge(maxAge);
    }

    private static Map<String, Object> describe(final BorderwatchPrincipal principal, @Nullable final Instant expiresAt,
                                                @Nullable final String csrfToken) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("signedIn", true);
        body.put("principal", principal.name());
        body.put("role", principal.role().id());
        body.put("regions", principal.regions());
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        if (csrfToken != null) {
            body.put("csrfToken", csrfToken);
        }
        return body;
    }
}
