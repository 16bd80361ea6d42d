package org.borderwatch.alert.stream;

import java.io.IOException;
import java.io.OutputStream;

import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.core.io.buffer.ByteBufferFactory;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.MutableHeaders;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.body.MessageBodyWriter;
import io.micronaut.http.codec.CodecException;
import jakarta.inject.Singleton;

/**
 * Writes an {@link SseFrame} as it is: the buffer handed to the connection wraps the frame's bytes (shared, read-only
 * by contract) rather than copying them, so the cost per stream of a change is the write itself.
 */
@Singleton
@Produces(MediaType.TEXT_EVENT_STREAM)
public final class SseFrameWriter implements MessageBodyWriter<SseFrame> {

    @Override
    public void writeTo(final Argument<SseFrame> type, final MediaType mediaType, final SseFrame frame,
                        final MutableHeaders headers, final OutputStream out) throws CodecException {
        try {
            out.write(frame.bytes());
        } catch (final IOException e) {
            throw new CodecException("Cannot write an SSE event", e);
        }
    }

    @Override
    public ByteBuffer<?> writeTo(final Argument<SseFrame> type, final MediaType mediaType, final SseFrame frame,
                                 final MutableHeaders headers, final ByteBufferFactory<?, ?> buffers)
            throws CodecException {
        return buffers.wrap(frame.bytes());
    }
}
