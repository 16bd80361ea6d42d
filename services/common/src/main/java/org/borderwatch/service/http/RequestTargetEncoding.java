package org.borderwatch.service.http;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * Accepts request targets as people and tools write them: an alert id such as {@code r1|TJ-KT|ARMED_INCURSION} sent
 * with a raw {@code |} (curl does), or a {@code {}}, {@code ^} or space-free oddity. RFC 3986 does not allow those
 * characters unencoded, so Micronaut's URI parsing refused them with "Malformed URI" and lost the path; here, before
 * Micronaut reads the request, each such byte is percent-encoded ({@code |} becomes {@code %7C}), which is exactly
 * what a careful client would have sent. Well-formed targets pass unchanged.
 */
@Singleton
public final class RequestTargetEncoding implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private static final String HANDLER = "borderwatch-request-target";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    @Override
    public NettyServerCustomizer.Registry onCreated(final BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    /** The target with every character RFC 3986 does not allow in a URI percent-encoded. */
    public static String encode(final String target) {
        StringBuilder encoded = null;
        for (int i = 0; i < target.length(); i++) {
            final char c = target.charAt(i);
            final boolean allowed = isAllowed(c) || c == '%' && i + 2 < target.length()
                    && isHex(target.charAt(i + 1)) && isHex(target.charAt(i + 2));
            if (allowed && encoded == null) {
                continue;
            }
            if (encoded == null) {
                encoded = new StringBuilder(target.length() + 16).append(target, 0, i);
            }
            if (allowed) {
                encoded.append(c);
            } else {
                // Netty reads the request line byte by byte into chars below 256; each is one byte of the target.
                encoded.append('%').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return encoded == null ? target : encoded.toString();
    }

    /** Unreserved, reserved (except the brackets, which only an IP literal host may hold) and nothing else. */
    private static boolean isAllowed(final char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "-._~:/?#@!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static boolean isHex(final char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private record Customizer(Channel channel) implements NettyServerCustomizer {

        @Override
        public NettyServerCustomizer specializeForChannel(final Channel channel, final ChannelRole role) {
            return new Customizer(channel);
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) != null
                    && channel.pipeline().get(HANDLER) == null) {
                channel.pipeline().addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, HANDLER,
                        new Encoder());
            }
        }
    }

    @ChannelHandler.Sharable
    private static final class Encoder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(final ChannelHandlerContext context, final Object message) {
            if (message instanceof HttpRequest request) {
                request.setUri(encode(request.uri()));
            }
            context.fireChannelRead(message);
        }
    }
}
