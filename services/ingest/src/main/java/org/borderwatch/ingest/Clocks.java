package org.borderwatch.ingest;

import java.time.Clock;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The clock that judges {@code occurredAt} and stamps a missing {@code reportedAt}. */
@Factory
final class Clocks {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
