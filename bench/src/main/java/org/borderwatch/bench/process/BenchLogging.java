package org.borderwatch.bench.process;

/**
 * Logging for bench's own {@code main} classes run straight from the bench jar and its {@code lib/}, where no
 * {@code logback.xml} is on the classpath: logback's default is DEBUG for everything, and the embedded broker then
 * writes a line of JSON for every request it serves (300,000 lines, 200 MB, in a two-minute single-event run),
 * taking CPU from what is measured. Run through the CLI ({@code ./borderwatch bench ...}) its configuration applies
 * and this does nothing.
 */
public final class BenchLogging {

    /** The embedded broker's own quiet configuration: WARN, org.borderwatch at INFO, on stderr. */
    static final String QUIET = "org/borderwatch/kafka/embedded/logback-main.xml";

    private BenchLogging() {
    }

    /** Call first in {@code main}, before any logger exists. */
    public static void quietUnlessConfigured() {
        if (System.getProperty("logback.configurationFile") == null
                && BenchLogging.class.getResource("/logback.xml") == null) {
            System.setProperty("logback.configurationFile", QUIET);
        }
    }
}
