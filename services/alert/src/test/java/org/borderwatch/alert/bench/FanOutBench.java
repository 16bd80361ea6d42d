package org.borderwatch.alert.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.borderwatch.alert.support.Breaches;
import org.borderwatch.avro.ThreatType;

/**
 * Fan-out benchmark (a command, not a test): opens N concurrent SSE streams on a running alert service, writes one
 * breach transactionally to border.breaches.v1 and measures, per stream, the time from the commit to the alert's
 * arrival. Prints p50/p95/p99/max and the server's resident memory per connection (from /proc, when its pid is given).
 *
 * <pre>
 * java -cp "$(cat cp.txt):services/alert/target/test-classes" org.borderwatch.alert.bench.FanOutBench \
 *     http://127.0.0.1:8083 $OPS_KEY 127.0.0.1:9092 10000 [server-pid]
 * </pre>
 */
public final class FanOutBench {

    private FanOutBench() {
    }

    public static void main(final String[] args) throws Exception {
        final String base = args[0];
        final String key = args[1];
        final String bootstrap = args[2];
        final int connections = Integer.parseInt(args[3]);
        final String pid = args.length > 4 ? args[4] : null;
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        final AtomicLongArray arrival = new AtomicLongArray(connections);
        final CountDownLatch opened = new CountDownLatch(connections);
        final CountDownLatch received = new CountDownLatch(connections);
        final String marker = "r-bench-" + System.nanoTime();
        final long rssBefore = rss(pid);
        final long openStart = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            final int index = i;
            final HttpRequest request = HttpRequest.newBuilder(URI.create(base
                    + "/v1/alerts/stream?threatType=WEAPONS_SMUGGLING")).header("X-API-Key", key).build();
            client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                @Override
                public void onSubscribe(final Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(final String line) {
                    if (line.startsWith(": stream open")) {
                        opened.countDown();
                    } else if (line.startsWith("data:") && line.contains(marker)
                            && arrival.compareAndSet(index, 0, System.nanoTime())) {
                        received.countDown();
                    }
                }

                @Override
                public void onError(final Throwable error) {
                }

                @Override
                public void onComplete() {
                }
            }));
            if (i % 500 == 499) {
                // Pace the connects so the server's accept queue keeps up.
                opened.await(50, TimeUnit.MILLISECONDS);
            }
        }
        if (!opened.await(5, TimeUnit.MINUTES)) {
            System.out.printf("only %d of %d streams opened%n", connections - opened.getCount(), connections);
        }
        System.out.printf("%d streams open in %d ms%n", connections - opened.getCount(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openStart));
        final long rssOpen = rss(pid);
        final long sent;
        try (Breaches breaches = new Breaches(bootstrap)) {
            final var breach = Breaches.firing(marker, "TJ-KT", ThreatType.WEAPONS_SMUGGLING);
            breaches.send(breach);
            sent = System.nanoTime();
        }
        received.await(2, TimeUnit.MINUTES);
        final long[] millis = new long[connections];
        int count = 0;
        for (int i = 0; i < connections; i++) {
            if (arrival.get(i) != 0) {
                millis[count++] = TimeUnit.NANOSECONDS.toMicros(arrival.get(i) - sent);
            }
        }
        final long[] sorted = Arrays.copyOf(millis, count);
        Arrays.sort(sorted);
        System.out.printf("received by %d of %d streams; from commit: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms,"
                        + " max %.1f ms%n", count, connections, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                count == 0 ? 0 : sorted[count - 1] / 1000.0);
        if (pid != null) {
            System.out.printf("server RSS %d MB before, %d MB with the streams open: %.1f KB per connection%n",
                    rssBefore >> 10, rssOpen >> 10, (rssOpen - rssBefore) / (double) connections);
        }
        System.exit(0);
    }

    private static double pct(final long[] sorted, final int percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)] / 1000.0;
    }

    /** Resident set size in KB of process {@code pid}, 0 when unknown. */
    private static long rss(final String pid) throws Exception {
        if (pid == null) {
            return 0;
        }
        return Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
    }
}
