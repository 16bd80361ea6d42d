package org.borderwatch.bench.catchup;

import java.util.ArrayList;
import java.util.List;

/**
 * How fast a consumer group's committed offsets reached the end of a backlog, from samples taken every 200 ms; the
 * same arithmetic for the aggregator and for the bare application it is compared with.
 *
 * @param firstCommit the first sample with input committed; the catch-up rate is measured from it
 * @param done        the first sample with every input record committed
 * @param samples     every sample up to {@code done}
 */
public record Progress(CatchUpRun.Sample firstCommit, CatchUpRun.Sample done, List<CatchUpRun.Sample> samples) {

    /** Cuts {@code samples} at the first that has all {@code events} committed. */
    public static Progress of(final List<CatchUpRun.Sample> samples, final long events) {
        final CatchUpRun.Sample first = samples.stream().filter(sample -> sample.committed() > 0).findFirst()
                .orElseThrow();
        final CatchUpRun.Sample done = samples.stream().filter(sample -> sample.committed() >= events).findFirst()
                .orElseThrow();
        return new Progress(first, done, samples.stream().filter(sample -> sample.nanos() <= done.nanos()).toList());
    }

    public double seconds() {
        return (done.nanos() - firstCommit.nanos()) / 1e9;
    }

    /** Events per second from the first commit to the last: the steady catch-up rate. */
    public double catchUpRate() {
        return (done.committed() - firstCommit.committed()) / seconds();
    }

    /** Events per second in consecutive stretches of {@code seconds}, from the first commit. */
    public List<Double> timeline(final int seconds) {
        final List<Double> rates = new ArrayList<>();
        CatchUpRun.Sample from = firstCommit;
        for (final CatchUpRun.Sample sample : samples) {
            final double elapsed = (sample.nanos() - from.nanos()) / 1e9;
            if (sample.nanos() > from.nanos() && (elapsed >= seconds || sample == done)) {
                rates.add((sample.committed() - from.committed()) / elapsed);
                from = sample;
            }
        }
        return rates;
    }

    /** Highest rate over any 5 s stretch. */
    public double peakRate() {
        double best = 0;
        int from = 0;
        for (int to = 0; to < samples.size(); to++) {
            while (samples.get(to).nanos() - samples.get(from).nanos() > 5e9) {
                from++;
            }
            final double seconds = (samples.get(to).nanos() - samples.get(from).nanos()) / 1e9;
            if (seconds >= 4.5) {
                best = Math.max(best, (samples.get(to).committed() - samples.get(from).committed()) / seconds);
            }
        }
        return best;
    }
}
