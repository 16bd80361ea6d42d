package org.borderwatch.alert.stream;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/**
 * {@code borderwatch_alert_sse_connections} (open streams) and {@code borderwatch_alert_sse_overflows_total}
 * (streams closed because the client fell {@code max-backlog} events behind).
 */
@Context
public final class StreamMetrics {

    private final AtomicInteger open = new AtomicInteger();
    private final Counter overflows;

    public StreamMetrics(final MeterRegistry registry) {
        Gauge.builder("borderwatch.alert.sse.connections", open, AtomicInteger::get)
                .description("Open SSE streams").register(registry);
        this.overflows = Counter.builder("borderwatch.alert.sse.overflows")
                .description("SSE streams closed because the client fell behind").register(registry);
    }

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    void overflowed() {
        overflows.increment();
    }
}
