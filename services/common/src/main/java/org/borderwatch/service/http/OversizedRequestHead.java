package org.borderwatch.service.http;

import java.nio.charset.StandardCharsets;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;
import org.borderwatch.service.body.BodyRules;
import org.borderwatch.service.problem.ProblemException;

/**
 * Answers a request whose request line or headers are longer than Netty may read
 * ({@code micronaut.server.netty.max-initial-line-length}, default 4096 bytes; {@code max-header-size}, 8192) with
 * 414 or 431 problem+json naming the part ({@code request-line} or {@code headers}), the rule ({@code max-length})
 * and the limit, {@code Connection: close}, and closes the connection.
 *
 * <p>Why not leave it to Micronaut: for an overlong request line Netty hands over a stand-in request of version
 * HTTP/1.0 at {@code /bad-request}, Micronaut answers it {@code HTTP/1.0 413} without a {@code Connection} header
 * and then closes the connection. A keep-alive client (java.net.http does) takes the connection back into its pool
 * and its next request on it gets no answer at all (chaos scenario 7 saw this: a POST after a hostile 8,000-byte
 * id). The decoder discards everything after such a request, so the connection cannot be used again anyway.
 */
@Singleton
public final class OversizedRequestHead implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private static final String HANDLER = "borderwatch-oversized-request-head";

    private final Answers answers;

    public OversizedRequestHead(final NettyHttpServerConfiguration server) {
        this.answers = new Answers(server.getMaxInitialLineLength(), server.getMaxHeaderSize());
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(final BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null, answers));
        return event.getBean();
    }

    private record Customizer(Channel channel, Answers answers) implements NettyServerCustomizer {

        @Override
        public NettyServerCustomizer specializeForChannel(final Channel channel, final ChannelRole role) {
            return new Customizer(channel, answers);
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) != null
                    && channel.pipeline().get(HANDLER) == null) {
                channel.pipeline().addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, HANDLER, answers);
            }
        }
    }

    @ChannelHandler.Sharable
    private static final class Answers extends ChannelInboundHandlerAdapter {

        private final int maxLine;
        private final int maxHeaders;

        private Answers(final int maxLine, final int maxHeaders) {
            this.maxLine = maxLine;
            this.maxHeaders = maxHeaders;
        }

        @Override
        public void channelRead(final ChannelHandlerContext context, final Object message) {
            if (message instanceof HttpRequest request && request.decoderResult().isFailure()) {
                final Throwable cause = request.decoderResult().cause();
                final FullHttpResponse answer = cause instanceof TooLongHttpLineException
                        ? answer(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request-line",
                                "The request line (method, target and version) is longer than " + maxLine
                                        + " bytes.")
                        : cause instanceof TooLongHttpHeaderException
                        ? answer(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers",
                                "The request headers are longer than " + maxHeaders + " bytes together.")
                        : null;
                if (answer != null) {
                    ReferenceCountUtil.release(message);
                    context.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            }
            context.fireChannelRead(message);
        }

        private static FullHttpResponse answer(final HttpResponseStatus status, final String field,
                                               final String detail) {
            // Hand-written: no JSON mapper runs this far down the pipeline, and every value is a constant here.
            final String body = "{\"type\":\"" + ProblemException.TYPE_MALFORMED + "\",\"title\":\""
                    + status.reasonPhrase() + "\",\"status\":" + status.code() + ",\"detail\":\"" + detail
                    + "\",\"errors\":[{\"field\":\"" + field + "\",\"rule\":\"" + BodyRules.MAX_LENGTH
                    + "\",\"message\":\"" + detail + "\"}]}";
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            return response;
        }
    }
}
