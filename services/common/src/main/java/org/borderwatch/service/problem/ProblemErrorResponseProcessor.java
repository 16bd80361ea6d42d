package org.borderwatch.service.problem;

import java.util.stream.Collectors;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.authentication.AuthorizationException;
import jakarta.inject.Singleton;
import org.borderwatch.service.body.BindingErrors;

/**
 * Renders every error response of the service as {@code application/problem+json} (RFC 9457): our own
 * {@link ProblemException}s, and Micronaut's and micronaut-security's built-in errors (malformed JSON, 401, 403,
 * 404, 405, 413, 415...), which all go through the {@link ErrorResponseProcessor} bean. Binding errors (a parameter
 * that does not convert, a body a data binder cannot read) get {@code errors[]} like our own ({@link BindingErrors}). Replaces Micronaut's default
 * JSON error body by being present.
 */
@Singleton
public final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    static final String UNAUTHORIZED_DETAIL = "A valid API key is required: send it as 'X-API-Key: <key>' or"
            + " 'Authorization: Bearer <key>'.";
    static final String FORBIDDEN_DETAIL = "This credential's role may not use this endpoint.";
    static final String SERVER_ERROR_DETAIL = "The server failed to process the request; the error has been logged.";

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Problem> processResponse(final ErrorContext context,
                                                        final MutableHttpResponse<?> response) {
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<Problem>) response;
        }
        final String instance = context.getRequest().getPath();
        final Throwable cause = context.getRootCause().orElse(null);
        final ProblemException translated = cause instanceof ProblemException problemException ? problemException
                : response.code() == HttpStatus.BAD_REQUEST.getCode() ? BindingErrors.translate(cause).orElse(null)
                : null;
        final Problem problem = translated != null
                ? translated.toProblem(instance)
                : new Problem(Problem.ABOUT_BLANK, reason(response.code()), response.code(),
                        detail(context, cause, response.code()), instance, null);
        return response.body(problem).contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE);
    }

    private static String detail(final ErrorContext context, final Throwable cause, final int status) {
        if (status >= 500) {
            // Exception messages of unexpected errors can carry internals; the log has them.
            return SERVER_ERROR_DETAIL;
        }
        if (cause instanceof AuthorizationException authorization) {
            return authorization.isForbidden() ? FORBIDDEN_DETAIL : UNAUTHORIZED_DETAIL;
        }
        if (!context.hasErrors()) {
            return reason(status);
        }
        return context.getErrors().stream()
                .map(ProblemErrorResponseProcessor::describe)
                .collect(Collectors.joining("; "));
    }

    private static String describe(final Error error) {
        return error.getPath().map(path -> path + ": " + error.getMessage()).orElse(error.getMessage());
    }

    private static String reason(final int status) {
        try {
            return HttpStatus.valueOf(status).getReason();
        } catch (final IllegalArgumentException e) {
            return "HTTP " + status;
        }
    }
}
