package org.borderwatch.bench.catchup;

import java.util.ArrayList;
import java.util.List;

/**
 * A group's committed offsets on the input topics, sampled while it caught up on a backlog, and the rates drawn from
 * them: the same arithmetic for the aggregator and the textbook applications it is compared with.
 *
 * @param startNanos  when the process was started
 * @param firstCommit the first sample with input committed; the catch-up rate is measured from it
 * @param done        the first sample with every input record committed
 * @param samples     every sample up to {@code done}
 */
public record Progress(long events, long startNanos, CatchUpRun.Sample firstCommit, CatchUpRun.Sample done,
                       List<CatchUpRun.Sample> samples) {

    /** From samples taken until everything was committed; fails when that never happened. */
    public static Progress of(final long events, final long startNanos, final List<CatchUpRun.Sample> all) {
        final CatchUpRun.Sample first = all.stream().filter(sample -> sample.committed() > 0).findFirst()
                .orElseThrow(() -> new IllegalStateException("nothing was ever committed"));
        final CatchUpRun.Sample done = all.stream().filter(sample -> sample.committed() >= events).findFirst()
                .orElseThrow(() -> new IllegalStateException("the backlog was never committed in full"));
        return new Progress(events, startNanos, first, done,
                all.stream().filter(sample -> sample.nanos() <= done.nanos()).toList());
    }

    /** Events per second from the first commit to the last: the steady catch-up rate. */
    public double catchUpRate() {
        return (done.committed() - firstCommit.committed()) / seconds();
    }

    /** Seconds from the first commit to the last. */
    public double seconds() {
        return (done.nanos() - firstCommit.nanos()) / 1e9;
    }

    /** Events per second from the process start: JVM start, framework, group join and restore included. */
    public double endToEndRate() {
        return events / ((done.nanos() - startNanos) / 1e9);
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
