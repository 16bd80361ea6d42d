package org.borderwatch.bench.process;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.borderwatch.credentials.ApiKeys;
import org.borderwatch.credentials.CredentialsWriter;
import org.borderwatch.launcher.Service;
import org.borderwatch.launcher.ServiceLauncher;
import org.borderwatch.launcher.ServiceProcess;

/**
 * Starts the packaged aggregator service ({@code org.borderwatch.aggregator.Application}) as a child JVM through
 * {@link ServiceLauncher}, configured by {@link AggregatorOptions}. {@code home} is the aggregator module's
 * {@code target} directory.
 */
public final class AggregatorLauncher {

    public static final String MAIN_CLASS = Service.AGGREGATOR.mainClass();
    /** System property naming the aggregator's target directory (set by the build for the integration tests). */
    public static final String HOME_PROPERTY = Service.AGGREGATOR.homeProperty();

    private final ServiceLauncher launcher;

    private AggregatorLauncher(final ServiceLauncher launcher) {
        this.launcher = launcher;
    }

    /**
     * @param home   the aggregator's {@code target} directory, holding the jar and {@code lib/}
     * @param logDir where each started process writes {@code aggregator-<n>.log} (stdout and stderr)
     * @throws IllegalStateException naming the build command when the aggregator is not packaged
     */
    public static AggregatorLauncher of(final Path home, final Path logDir) {
        return of(home, logDir, writeCredentials(logDir));
    }

    /** With a given credentials file, e.g. one whose admin key the caller knows (rules API). */
    public static AggregatorLauncher of(final Path home, final Path logDir, final Path credentialsFile) {
        return new AggregatorLauncher(ServiceLauncher.of(Service.AGGREGATOR, home, logDir, credentialsFile));
    }

    /** The {@code home} from {@value #HOME_PROPERTY}, else {@code services/aggregator/target} under the working dir. */
    public static Path defaultHome() {
        return Service.AGGREGATOR.defaultHome();
    }

    /** Starts one aggregator process; it begins processing as soon as it has joined its group. */
    public ServiceProcess start(final AggregatorOptions options) {
        final Map<String, String> env = new LinkedHashMap<>();
        env.put("BORDERWATCH_AGGREGATOR_APPLICATION_ID", options.applicationId());
        env.put("BORDERWATCH_AGGREGATOR_STATE_DIR", options.stateDir().toAbsolutePath().toString());
        env.putAll(options.env());
        return launcher.start(options.bootstrapServers(), options.heap(), options.jvmArgs(), env);
    }

    /**
     * The service refuses to start without a credentials file. One admin whose key nobody keeps: the harness only
     * reads {@code /health} and {@code /prometheus}, which are anonymous.
     */
    private static Path writeCredentials(final Path dir) {
        return CredentialsWriter.write(dir.resolve("credentials.yml"),
                List.of(CredentialsWriter.Entry.admin("bench-admin", ApiKeys.generate(), "*")));
    }
}
