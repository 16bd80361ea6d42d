package org.borderwatch.service.body;

import java.util.Optional;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.body.ByteBody;
import io.micronaut.http.body.CloseableAvailableByteBody;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import org.borderwatch.service.problem.ProblemException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Every request body of every service is strict UTF-8, whatever reads it afterwards: a data binder, an NDJSON
 * splitter, a form decoder. Those decode leniently (Jackson turns the overlong {@code C0 AF} into {@code /}), so the
 * check runs here, once, before any of them: a body that is not well-formed UTF-8 is answered 400 problem+json
 * naming the byte offset (rule {@code utf-8}) and never reaches a handler. Runs after authentication, so an
 * unauthenticated client learns nothing about how its body would be read.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class Utf8BodyFilter implements Ordered {

    private final ErrorResponseProcessor<?> processor;

    public Utf8BodyFilter(final ErrorResponseProcessor<?> processor) {
        this.processor = processor;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    public Publisher<MutableHttpResponse<?>> check(final HttpRequest<?> request,
                                                   final FilterContinuation<Publisher<MutableHttpResponse<?>>> next) {
        // RFC 9112 §6.3: a request with neither Content-Length nor Transfer-Encoding has no body; leave its (empty)
        // body alone rather than split and buffer it.
        if (!HttpMethod.permitsRequestBody(request.getMethod())
                || !(request instanceof ServerHttpRequest<?> server)
                || !request.getHeaders().contains(HttpHeaders.CONTENT_LENGTH)
                && !request.getHeaders().contains(HttpHeaders.TRANSFER_ENCODING)
                || server.byteBody().expectedLength().orElse(-1) == 0) {
            return next.proceed();
        }
        // A copy that buffers at its own pace (FASTEST), so the handler still reads the whole body afterwards.
        // (An around filter, not a request filter answering null to go on: Micronaut 4.10 fails on a null that
        // arrives after the filter returned, i.e. whenever the body comes in more than one read.)
        return Mono.fromFuture(server.byteBody().split(ByteBody.SplitBackpressureMode.FASTEST).buffer())
                .map(body -> Optional.ofNullable(refusal(request, body)))
                // Too large, or the connection went away: the handler's own reading reports that, as before.
                .onErrorResume(failure -> Mono.just(Optional.empty()))
                .flatMap(refusal -> refusal.<Mono<MutableHttpResponse<?>>>map(Mono::just)
                        .orElseGet(() -> Mono.from(next.proceed())));
    }

    private @Nullable MutableHttpResponse<?> refusal(final HttpRequest<?> request,
                                                     final CloseableAvailableByteBody body) {
        try (body) {
            final byte[] bytes = body.toByteArray();
            final StrictUtf8.Malformation malformation = StrictUtf8.check(bytes, 0, bytes.length);
            if (malformation == null) {
                return null;
            }
            final ProblemException problem = ProblemException.malformed(BodyRules.UTF_8, malformation.describe());
            return processor.processResponse(ErrorContext.builder(request).cause(problem).build(),
                    HttpResponse.status(HttpStatus.BAD_REQUEST));
        }
    }
}
