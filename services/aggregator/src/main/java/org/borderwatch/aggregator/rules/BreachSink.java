package org.borderwatch.aggregator.rules;

import org.borderwatch.avro.Breach;

/** Where a breach change goes: the processor forwards it to {@code border.breaches.v1}, key breachId. */
@FunctionalInterface
public interface BreachSink {

    void changed(String breachId, Breach breach, long time);
}
