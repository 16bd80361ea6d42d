package org.borderwatch.aggregator.window;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.borderwatch.aggregator.state.BinarySerde;

/**
 * Which buckets of one key changed since the last emit: the first and last changed bucket start per granularity.
 * A range, not a set, keeps the pending-emit entry fixed in size; an out-of-order report widens it, and the emit
 * then also re-sends the unchanged windows in between, which on a compacted topic is harmless.
 */
public record DirtyRange(long hourlyFrom, long hourlyTo, long dailyFrom, long dailyTo, long minutelyFrom,
                         long minutelyTo) {

    public static final DirtyRange EMPTY = new DirtyRange(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE,
            Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE);
    public static final Serde SERDE = new Serde();

    public DirtyRange including(final Granularity granularity, final long bucketStart) {
        return switch (granularity) {
            case MINUTELY -> new DirtyRange(hourlyFrom, hourlyTo, dailyFrom, dailyTo,
                    Math.min(minutelyFrom, bucketStart), Math.max(minutelyTo, bucketStart));
            case HOURLY -> new DirtyRange(Math.min(hourlyFrom, bucketStart), Math.max(hourlyTo, bucketStart),
                    dailyFrom, dailyTo, minutelyFrom, minutelyTo);
            case DAILY -> new DirtyRange(hourlyFrom, hourlyTo, Math.min(dailyFrom, bucketStart),
                    Math.max(dailyTo, bucketStart), minutelyFrom, minutelyTo);
        };
    }

    /** Whether {@code bucketStart} of {@code granularity} already lies in this range (marking it changes nothing). */
    public boolean covers(final Granularity granularity, final long bucketStart) {
        return from(granularity) <= bucketStart && bucketStart <= to(granularity);
    }

    public boolean has(final Granularity granularity) {
        return from(granularity) <= to(granularity);
    }

    public long from(final Granularity granularity) {
        return switch (granularity) {
            case MINUTELY -> minutelyFrom;
            case HOURLY -> hourlyFrom;
            case DAILY -> dailyFrom;
        };
    }

    public long to(final Granularity granularity) {
        return switch (granularity) {
            case MINUTELY -> minutelyTo;
            case HOURLY -> hourlyTo;
            case DAILY -> dailyTo;
        };
    }

    /**
     * Version 1: the hourly and daily bounds. Version 2: then the minutely bounds. A range without minutely bounds
     * is written as version 1, byte for byte what earlier releases wrote, so a configuration without minute windows
     * can roll back and forth between releases.
     */
    public static final class Serde extends BinarySerde<DirtyRange> {

        private Serde() {
            super(2);
        }

        @Override
        protected int versionFor(final DirtyRange range) {
            return range.has(Granularity.MINUTELY) ? 2 : 1;
        }

        @Override
        protected void write(final DataOutput out, final DirtyRange range) throws IOException {
            out.writeLong(range.hourlyFrom);
            out.writeLong(range.hourlyTo);
            out.writeLong(range.dailyFrom);
            out.writeLong(range.dailyTo);
            if (range.has(Granularity.MINUTELY)) {
                out.writeLong(range.minutelyFrom);
                out.writeLong(range.minutelyTo);
            }
        }

        @Override
        protected DirtyRange read(final DataInput in, final int writtenVersion) throws IOException {
            final long hourlyFrom = in.readLong();
            final long hourlyTo = in.readLong();
            final long dailyFrom = in.readLong();
            final long dailyTo = in.readLong();
            return writtenVersion >= 2
                    ? new DirtyRange(hourlyFrom, hourlyTo, dailyFrom, dailyTo, in.readLong(), in.readLong())
                    : new DirtyRange(hourlyFrom, hourlyTo, dailyFrom, dailyTo, Long.MAX_VALUE, Long.MIN_VALUE);
        }
    }
}
