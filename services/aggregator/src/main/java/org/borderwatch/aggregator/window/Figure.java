package org.borderwatch.aggregator.window;

/** The figures of one window instance: {@code [start, end)}. */
public record Figure(WindowSpec window, long start, long end, Bucket bucket) {
}
