package org.borderwatch.aggregator.store;

import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds a Kafka Streams store builder's store and wraps it ({@link BucketStore}, {@link EventIdStore}); the name,
 * logging and caching settings pass through to the wrapped builder, so the wrapped store is exactly what the plain
 * builder would have made (same layers, same changelog).
 */
final class WrappingBuilder<S extends StateStore, T extends StateStore> implements StoreBuilder<T> {

    private final StoreBuilder<S> builder;
    private final Function<S, T> wrap;

    WrappingBuilder(final StoreBuilder<S> builder, final Function<S, T> wrap) {
        this.builder = builder;
        this.wrap = wrap;
    }

    @Override
    public StoreBuilder<T> withCachingEnabled() {
        builder.withCachingEnabled();
        return this;
    }

    @Override
    public StoreBuilder<T> withCachingDisabled() {
        builder.withCachingDisabled();
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingEnabled(final Map<String, String> config) {
        builder.withLoggingEnabled(config);
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingDisabled() {
        builder.withLoggingDisabled();
        return this;
    }

    @Override
    public T build() {
        return wrap.apply(builder.build());
    }

    @Override
    public Map<String, String> logConfig() {
        return builder.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
        return builder.loggingEnabled();
    }

    @Override
    public String name() {
        return builder.name();
    }
}
