package org.borderwatch.aggregator.emit;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.borderwatch.aggregator.state.BinarySerde;
import org.borderwatch.aggregator.window.Granularity;

/**
 * Which buckets of one key changed since the last emit: the first and last changed bucket start per granularity.
 * A range, not a set, keeps the pending-emit entry fixed in size; an out-of-order report widens it, and the emit
 * then also re-sends the unchanged windows in between, which on a compacted topic is harmless.
 */
public record DirtyRange(long hourlyFrom, long hourlyTo, long dailyFrom, long dailyTo) {

    public static final DirtyRange EMPTY =
            new DirtyRange(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE);
    public static final Serde SERDE = new Serde();

    public DirtyRange including(final Granularity granularity, final long bucketStart) {
        return switch (granularity) {
            case HOURLY -> new DirtyRange(Math.min(hourlyFrom, bucketStart), Math.max(hourlyTo, bucketStart),
                    dailyFrom, dailyTo);
            case DAILY -> new DirtyRange(hourlyFrom, hourlyTo, Math.min(dailyFrom, bucketStart),
                    Math.max(dailyTo, bucketStart));
        };
    }

    public boolean has(final Granularity granularity) {
        return from(granularity) <= to(granularity);
    }

    public long from(final Granularity granularity) {
        return granularity == Granularity.HOURLY ? hourlyFrom : dailyFrom;
    }

    public long to(final Granularity granularity) {
        return granularity == Granularity.HOURLY ? hourlyTo : dailyTo;
    }

    /** Version 1: the four bounds. */
    public static final class Serde extends BinarySerde<DirtyRange> {

        private Serde() {
            super(1);
        }

        @Override
        protected void write(final DataOutput out, final DirtyRange range) throws IOException {
            out.writeLong(range.hourlyFrom);
            out.writeLong(range.hourlyTo);
            out.writeLong(range.dailyFrom);
            out.writeLong(range.dailyTo);
        }

        @Override
        protected DirtyRange read(final DataInput in, final int writtenVersion) throws IOException {
            return new DirtyRange(in.readLong(), in.readLong(), in.readLong(), in.readLong());
        }
    }
}
