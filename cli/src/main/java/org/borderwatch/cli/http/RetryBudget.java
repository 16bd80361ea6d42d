package org.borderwatch.cli.http;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How long a command keeps retrying a service that answers 503: every wait honours the service's
 * {@code Retry-After} (up to {@link #MAX_WAIT}) and doubles from one second when the service
 * names none; the command gives up once a service has been unavailable for {@code giveUpAfter} without a single
 * success in between. One budget is shared by every request of a command (and its threads), so a command stops after
 * a bounded time however many requests are in flight. A success resets it.
 */
public final class RetryBudget {

    /** What a command waits, at most, for a service to come back; the CLI's documented default. */
    public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofSeconds(60);
    /** The longest single wait, whatever {@code Retry-After} says: a person is watching. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final long NOTICE_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final Duration giveUpAfter;
    private final Consumer<String> notices;
    // System.nanoTime may be negative: flags, not sentinel values.
    private boolean unavailable;
    private long unavailableSince;
    private int failures;
    private boolean exhausted;
    private boolean noticed;
    private long lastNotice;

    /**
     * @param giveUpAfter how long a service may stay unavailable before the command gives up
     * @param notices     where the "retrying in N s" lines go (stderr, or a progress bar)
     */
    public RetryBudget(final Duration giveUpAfter, final Consumer<String> notices) {
        if (giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("giveUpAfter must not be negative: " + giveUpAfter);
        }
        this.giveUpAfter = giveUpAfter;
        this.notices = notices;
    }

    public Duration giveUpAfter() {
        return giveUpAfter;
    }

    /** The service answered: the next outage gets the whole budget again. */
    public synchronized void succeeded() {
        unavailable = false;
        failures = 0;
    }

    /** True once a wait would have passed the budget: the command should stop sending. */
    public synchronized boolean exhausted() {
        return exhausted;
    }

    /**
     * Waits before the next attempt, or returns false at once when that wait would end after the budget.
     *
     * @param retryAfter the service's {@code Retry-After}, when it sent one
     * @param why        what is wrong, for people: "Kafka is unavailable (ingest API answered 503)"
     */
    public boolean awaitRetry(final Optional<Duration> retryAfter, final String why) throws InterruptedException {
        final Duration wait;
        synchronized (this) {
            final long now = System.nanoTime();
            if (!unavailable) {
                unavailable = true;
                unavailableSince = now;
            }
            final Duration backoff = FIRST_WAIT.multipliedBy(1L << Math.min(failures, 5));
            failures++;
            final Duration wanted = retryAfter.filter(after -> after.compareTo(backoff) > 0).orElse(backoff);
            wait = wanted.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wanted;
            final Duration left = giveUpAfter.minusNanos(now - unavailableSince);
            if (exhausted || wait.compareTo(left) > 0) {
                exhausted = true;
                return false;
            }
            // Several requests in flight fail together: one line for them, not one each.
            if (!noticed || now - lastNotice >= NOTICE_INTERVAL_NANOS) {
                noticed = true;
                lastNotice = now;
                notices.accept(why + "; retrying in " + seconds(wait) + "; giving up if still unavailable after "
                        + seconds(giveUpAfter) + " (" + seconds(left) + " left)");
            }
        }
        Thread.sleep(wait.toMillis());
        return true;
    }

    static String seconds(final Duration duration) {
        final long millis = Math.max(0, duration.toMillis());
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s",
                millis / 1000.0);
    }
}
