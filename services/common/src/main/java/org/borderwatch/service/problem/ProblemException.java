package org.borderwatch.service.problem;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.micronaut.http.HttpStatus;

/**
 * Thrown by request handling to answer with a problem; {@link ProblemExceptionHandler} renders it. The message is
 * the problem's {@code detail} and is shown to the client, so it must not carry internals.
 */
public final class ProblemException extends RuntimeException {

    /** Problem types of this project; URNs, so no one mistakes them for documentation links. */
    public static final String TYPE_INVALID = "urn:borderwatch:problem:invalid-request";
    public static final String TYPE_FORBIDDEN = "urn:borderwatch:problem:forbidden";
    public static final String TYPE_UNAVAILABLE = "urn:borderwatch:problem:service-unavailable";
    public static final String TYPE_MALFORMED = "urn:borderwatch:problem:malformed-request";

    private final HttpStatus status;
    private final String type;
    private final String title;
    private final List<Violation> violations;
    private final Duration retryAfter;

    public ProblemException(final HttpStatus status, final String type, final String title, final String detail,
                            final List<Violation> violations, final Duration retryAfter) {
        super(detail, null, false, false);
        this.status = Objects.requireNonNull(status, "status");
        this.type = Objects.requireNonNull(type, "type");
        this.title = Objects.requireNonNull(title, "title");
        this.violations = List.copyOf(violations);
        this.retryAfter = retryAfter;
    }

    /** A plain HTTP error whose status says it all ({@code about:blank}): 400, 413, 415... */
    public static ProblemException of(final HttpStatus status, final String detail) {
        return new ProblemException(status, Problem.ABOUT_BLANK, status.getReason(), detail, List.of(), null);
    }

    /** 422: the request is well-formed but breaks these rules (all of them, not just the first). */
    public static ProblemException invalid(final List<Violation> violations) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, TYPE_INVALID, "The request breaks validation rules",
                violations.size() == 1 ? "1 rule is broken; see errors."
                        : violations.size() + " rules are broken; see errors.", violations, null);
    }

    /**
     * 400: the request cannot be read at all (not UTF-8, not JSON, empty, a parameter of the wrong type); the one
     * violation names the field ({@code ""} for the whole body) and the rule.
     */
    public static ProblemException malformed(final Violation violation) {
        return new ProblemException(HttpStatus.BAD_REQUEST, TYPE_MALFORMED, "The request cannot be read",
                violation.message(), List.of(violation), null);
    }

    /** 400 about the whole body: {@link #malformed(Violation)} with field {@code ""}. */
    public static ProblemException malformed(final String rule, final String detail) {
        return malformed(new Violation("", rule, detail));
    }

    /** 403: authenticated, but this principal may not do this. */
    public static ProblemException forbidden(final String detail, final List<Violation> violations) {
        return new ProblemException(HttpStatus.FORBIDDEN, TYPE_FORBIDDEN, "Not allowed for this credential",
                detail, violations, null);
    }

    /** 503 with {@code Retry-After}: a dependency is down; the same request may succeed later. */
    public static ProblemException unavailable(final String detail, final Duration retryAfter) {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, TYPE_UNAVAILABLE, "Temporarily unavailable",
                detail, List.of(), Objects.requireNonNull(retryAfter, "retryAfter"));
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<Violation> violations() {
        return violations;
    }

    /** How long a client should wait before retrying, or null when a retry would not help. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public Problem toProblem(final String instance) {
        return new Problem(type, title, status.getCode(), getMessage(), instance, violations);
    }
}
