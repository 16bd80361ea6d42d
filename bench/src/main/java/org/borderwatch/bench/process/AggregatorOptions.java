package org.borderwatch.bench.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How one aggregator process is started.
 *
 * @param applicationId unique per run: Kafka Streams keeps a dead member in its group until the session times out,
 *                      and internal topics carry the id
 * @param stateDir      kept across restarts of one run, as a persistent volume would be
 * @param heap          {@code -Xmx}, e.g. {@code 512m}
 * @param jvmArgs       more JVM options (GC log, flight recording)
 * @param env           more environment variables, in the service's own keys (see its application.yml)
 */
public record AggregatorOptions(String bootstrapServers, String applicationId, Path stateDir, String heap,
                                List<String> jvmArgs, Map<String, String> env) {

    public AggregatorOptions {
        jvmArgs = List.copyOf(jvmArgs);
        env = Map.copyOf(env);
    }
}
