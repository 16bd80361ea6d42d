package org.borderwatch.kafka.embedded;

import java.util.Map;

/**
 * How a client connects to a running embedded cluster as one of its users, whether the cluster runs in this JVM
 * ({@link EmbeddedKafkaCluster}) or as node processes ({@link KafkaNodeProcesses}): what a launcher needs to give
 * each service its own principal.
 */
public interface ClientSettings {

    /**
     * {@code bootstrap.servers} and, on a SASL_SSL cluster, the security protocol, SCRAM mechanism, the JAAS line
     * with {@code user}'s password and the trust store; on a plaintext cluster the bootstrap servers alone, for
     * any user.
     *
     * @throws IllegalArgumentException if a SASL_SSL cluster has no such SCRAM user
     */
    Map<String, Object> clientProperties(String user);
}
