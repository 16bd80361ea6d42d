package org.borderwatch.cli.publish;

import java.io.PrintStream;

/** A one-line progress bar on stderr; notices (retries) print above it. Called from the sender threads too. */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream err;
    private long total;
    private String bar = "";

    Progress(final PrintStream err) {
        this.err = err;
    }

    synchronized void start(final long lines) {
        this.total = lines;
        update(0, 0, 0);
    }

    synchronized void update(final long sent, final long accepted, final long notAccepted) {
        final int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, sent * WIDTH / total);
        bar = String.format("[%s%s] %d/%d  accepted %d  not accepted %d", "#".repeat(filled),
                " ".repeat(WIDTH - filled), sent, total, accepted, notAccepted);
        err.print("\r" + bar);
        err.flush();
    }

    synchronized void notice(final String message) {
        err.println();
        err.println(message);
        err.print(bar);
        err.flush();
    }

    synchronized void done() {
        err.println();
    }
}
