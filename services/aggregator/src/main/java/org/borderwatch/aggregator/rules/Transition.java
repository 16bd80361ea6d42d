package org.borderwatch.aggregator.rules;

import org.borderwatch.avro.Breach;

/** A change of a breach identity: its new state, and the record that announces it on the breaches topic. */
public record Transition(BreachState state, Breach breach) {
}
