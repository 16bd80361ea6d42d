package org.borderwatch.aggregator.rules.api;

import java.time.Duration;
import java.util.List;

import org.borderwatch.aggregator.window.WindowSpec;

/**
 * What the rules API needs of the running aggregator, and nothing more: the windows rules may watch and the
 * {@code Retry-After} of a 503. The host implements it; the API never reaches into the host or the queries.
 */
public interface RulesHost {

    /** The configured windows; a rule's window must be one of them. */
    List<WindowSpec> windows();

    /** {@code Retry-After} of a 503 (Kafka did not answer in time). */
    Duration retryAfter();
}
