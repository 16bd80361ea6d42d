package org.borderwatch.bench.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A busy day on demand: {@code threads} threads that only compute, in a JVM of their own (a neighbour on a shared
 * machine, at the same priority as the pipeline), for at most {@code limit}. Measurements run beside it to see what
 * a target is worth when the cores are not the pipeline's alone. Ended by {@link #close()}; it also ends by itself
 * at its limit, so a harness that dies leaves nothing running for long.
 */
public final class CpuHogs implements AutoCloseable {

    private final ChildJvm jvm;

    private CpuHogs(final ChildJvm jvm) {
        this.jvm = jvm;
    }

    public static CpuHogs start(final int threads, final Duration limit, final Path dir) {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("1 to 64 hog threads; got " + threads);
        }
        return new CpuHogs(ChildJvm.start("cpu-hogs", "32m", CpuHogs.class.getName(),
                List.of(Integer.toString(threads), Long.toString(limit.toSeconds())), dir, line -> { }));
    }

    public long pid() {
        return jvm.pid();
    }

    @Override
    public void close() {
        jvm.stop(Duration.ofSeconds(2));
    }

    /** {@code <threads> <seconds>}: spins that many threads for that long, then exits. */
    public static void main(final String[] args) throws InterruptedException {
        final int threads = Integer.parseInt(args[0]);
        final long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[1])).toNanos();
        final Thread[] spinners = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            spinners[i] = new Thread(() -> {
                long x = 1;
                while (System.nanoTime() < deadline) {
                    for (int j = 0; j < 100_000; j++) {
                        x = x * 6_364_136_223_846_793_005L + 1_442_695_040_888_963_407L;
                    }
                }
                if (x == 42) {
                    System.out.println(x); // keeps the loop from being optimised away
                }
            }, "cpu-hog-" + i);
            spinners[i].start();
        }
        for (final Thread spinner : spinners) {
            spinner.join();
        }
    }
}
