package org.borderwatch.aggregator.rollup;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.borderwatch.aggregator.state.BinarySerde;
import org.borderwatch.aggregator.window.Bucket;
import org.borderwatch.aggregator.window.Granularity;
import org.borderwatch.avro.ThreatType;

/**
 * The current figures of one region bucket, sent to the task that owns the region's country (repartition topic
 * {@code <application.id>-country-snapshots-repartition}, key = country). A snapshot replaces the previous one of
 * the same region bucket, so re-sending is harmless.
 */
public record RollupSnapshot(String country, String region, ThreatType threatType, Granularity granularity,
                             long bucketStart, Bucket bucket) {

    public static final Serde SERDE = new Serde();

    /** Version 1: the identifying fields, then the bucket in its own (versioned) encoding. */
    public static final class Serde extends BinarySerde<RollupSnapshot> {

        private Serde() {
            super(1);
        }

        @Override
        protected void write(final DataOutput out, final RollupSnapshot snapshot) throws IOException {
            out.writeUTF(snapshot.country);
            out.writeUTF(snapshot.region);
            writeEnum(out, snapshot.threatType);
            writeEnum(out, snapshot.granularity);
            out.writeLong(snapshot.bucketStart);
            final byte[] bucket = Bucket.SERDE.serialize(null, snapshot.bucket);
            out.writeInt(bucket.length);
            out.write(bucket);
        }

        @Override
        protected RollupSnapshot read(final DataInput in, final int writtenVersion) throws IOException {
            final String country = in.readUTF();
            final String region = in.readUTF();
            final ThreatType threatType = readEnum(in, ThreatType.class);
            final Granularity granularity = readEnum(in, Granularity.class);
            final long bucketStart = in.readLong();
            final byte[] bucket = new byte[in.readInt()];
            in.readFully(bucket);
            return new RollupSnapshot(country, region, threatType, granularity, bucketStart,
                    Bucket.SERDE.deserialize(null, bucket));
        }
    }
}
