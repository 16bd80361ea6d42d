package org.borderwatch.bench.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.borderwatch.bench.pipeline.Api;
import org.borderwatch.bench.workload.PublishedReport;
import org.borderwatch.bench.workload.Region;
import org.borderwatch.bench.workload.ReportGenerator;
import org.borderwatch.schemas.AvroMaps;
import org.borderwatch.schemas.AvroTrust;
import org.borderwatch.schemas.Topics;

/**
 * The reports of the catch-up backlog ({@link ReportGenerator}: the same fields, so the same ~180 B of Avro once
 * ingest has them) as the ingest API takes them: JSON for {@code POST /v1/incidents} or {@code /v1/seizures}, and an
 * NDJSON line with its {@code type} for {@code POST /v1/batch} and {@code borderwatch publish}. Generated before a
 * measurement, so the load generator's work is not on the clock.
 *
 * @param path  {@code /v1/incidents} or {@code /v1/seizures}
 * @param json  the body of a single-event POST
 * @param line  the NDJSON line
 */
public record EventLines(String path, String json, String line) {

    static {
        // Decoding the generated classes needs their package trusted (see KAFKA-NOTES).
        AvroTrust.install();
    }

    /** {@code count} reports of the last {@code spread} (the ingest API refuses reports from the future). */
    public static List<EventLines> generate(final int count, final Duration spread, final long seed) {
        final ReportGenerator generator = new ReportGenerator(seed, Region.CENTRAL_ASIA);
        final long now = System.currentTimeMillis();
        final List<EventLines> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final long occurredAt = now - (long) (Math.random() * spread.toMillis());
            lines.add(of(generator.next(occurredAt, Math.min(now, occurredAt + 60_000))));
        }
        return lines;
    }

    static EventLines of(final PublishedReport report) {
        final boolean incident = report.topic().equals(Topics.INCIDENTS.name());
        final Map<String, Object> fields = incident
                ? AvroMaps.toMap(decode(Topics.INCIDENTS.valueSerde().deserializer(), report))
                : AvroMaps.toMap(decode(Topics.SEIZURES.valueSerde().deserializer(), report));
        final Map<String, Object> typed = new LinkedHashMap<>();
        typed.put("type", incident ? "incident" : "seizure");
        typed.putAll(fields);
        return new EventLines(incident ? "/v1/incidents" : "/v1/seizures", Api.write(fields), Api.write(typed));
    }

    private static <T> T decode(final org.apache.kafka.common.serialization.Deserializer<T> deserializer,
                                final PublishedReport report) {
        return deserializer.deserialize(report.topic(), report.value());
    }

    /** The average Avro value size of the generated reports: the raw producer's record size. */
    public static int averageAvroBytes(final int sample, final long seed) {
        final ReportGenerator generator = new ReportGenerator(seed, Region.CENTRAL_ASIA);
        long bytes = 0;
        final long now = System.currentTimeMillis();
        for (int i = 0; i < sample; i++) {
            bytes += generator.next(now, now).value().length;
        }
        return (int) Math.round((double) bytes / sample);
    }
}
