package org.borderwatch.aggregator.rules;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.borderwatch.aggregator.state.BinarySerde;
import org.borderwatch.avro.Metric;
import org.borderwatch.avro.Severity;
import org.borderwatch.avro.ThreatType;

/**
 * The state of one breach identity ({@code ruleId|region|threatType}). Kept after it resolves, so its version keeps
 * increasing if the identity fires again; it also carries the rule's name, metric, window and resolve threshold so a
 * breach whose rule was deleted can still be resolved with a complete record.
 *
 * @param escalationLevel 0 at the rule's own threshold, n after crossing the n-th escalation tier
 * @param startsAt        when the current (or last) breach fired
 */
public record BreachState(String breachId, String ruleId, String ruleName, String region, ThreatType threatType,
                          Metric metric, String window, double resolveThreshold, boolean active,
                          int escalationLevel, Severity severity, long startsAt, long version) {

    public static final Serde SERDE = new Serde();

    public static String breachId(final String ruleId, final String region, final ThreatType threatType) {
        return ruleId + '|' + region + '|' + threatType.name();
    }

    /** Version 1: every field, in declaration order. */
    public static final class Serde extends BinarySerde<BreachState> {

        private Serde() {
            super(1);
        }

        @Override
        protected void write(final DataOutput out, final BreachState state) throws IOException {
            out.writeUTF(state.breachId);
            out.writeUTF(state.ruleId);
            out.writeUTF(state.ruleName);
            out.writeUTF(state.region);
            writeEnum(out, state.threatType);
            writeEnum(out, state.metric);
            out.writeUTF(state.window);
            out.writeDouble(state.resolveThreshold);
            out.writeBoolean(state.active);
            out.writeInt(state.escalationLevel);
            writeEnum(out, state.severity);
            out.writeLong(state.startsAt);
            out.writeLong(state.version);
        }

        @Override
        protected BreachState read(final DataInput in, final int writtenVersion) throws IOException {
            return new BreachState(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(),
                    readEnum(in, ThreatType.class), readEnum(in, Metric.class), in.readUTF(), in.readDouble(),
                    in.readBoolean(), in.readInt(), readEnum(in, Severity.class), in.readLong(), in.readLong());
        }
    }
}
