package org.borderwatch.kafka.access;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;

/**
 * Who may do what on the borderwatch Kafka cluster: the one definition of the services' principals and their
 * least-privilege ACLs. The embedded cluster applies it at start ({@code Security.saslSsl()}); the compose
 * deployment's one-shot job applies it with {@link ClusterSetup}; both through {@link ClusterAccess}.
 *
 * <p>READ and WRITE imply DESCRIBE in Kafka, so no grant lists DESCRIBE separately. A principal that owns a prefix
 * gets ALL on topics, consumer groups and transactional ids starting with it: the Kafka Streams
 * {@code application.id} names the group, the internal topics ({@code <id>-<store>-changelog}, {@code -repartition})
 * and, under exactly-once, the transactional ids ({@code <id>-<process>-<thread>}). The prefixes must stay in
 * step with the services' configuration (their {@code application.yml}); {@code AccessPolicyTest} checks that.
 */
public final class AccessPolicy {

    /** The brokers' and operators' super user (no ACLs needed); a SCRAM user like the services. */
    public static final String ADMIN = "admin";

    public static final String INGEST = "ingest";
    public static final String AGGREGATOR = "aggregator";
    public static final String ALERT = "alert";
    public static final String ENGINEER = "engineer";

    /** {@code borderwatch.aggregator.application-id} (its default) and any id an operator derives from it. */
    public static final String AGGREGATOR_PREFIX = "borderwatch-aggregator";
    /** {@code borderwatch.alert.lifecycle-application-id} and {@code borderwatch.alert.webhooks.group-id}. */
    public static final String ALERT_PREFIX = "borderwatch-alert-";
    /** Engineers' consumer groups, e.g. {@code engineer-alice}. */
    public static final String ENGINEER_GROUP_PREFIX = "engineer-";

    /** The borderwatch services and the engineers' read-only principal. */
    public static final AccessPolicy BORDERWATCH = new AccessPolicy(List.of(
            new Principal(INGEST, concat(
                    // Idempotent acks=all producer: retries never duplicate a report.
                    writes(Topics.INCIDENTS, Topics.SEIZURES),
                    List.of(new Grant(ResourceType.CLUSTER, PatternType.LITERAL, "kafka-cluster",
                            AclOperation.IDEMPOTENT_WRITE)))),
            new Principal(AGGREGATOR, concat(
                    owns(AGGREGATOR_PREFIX),
                    reads(Topics.INCIDENTS, Topics.SEIZURES, Topics.ALERT_RULES),
                    // The rules API writes rules; the topology writes the rest (dead letters through Streams' DLQ).
                    writes(Topics.ALERT_RULES, Topics.THREAT_AGGREGATES, Topics.BREACHES, Topics.LATE_EVENTS,
                            Topics.DEADLETTER))),
            new Principal(ALERT, concat(
                    owns(ALERT_PREFIX),
                    reads(Topics.BREACHES, Topics.ALERT_COMMANDS, Topics.ALERTS, Topics.SUBSCRIPTIONS,
                            Topics.SILENCES, Topics.WEBHOOK_RETRIES, Topics.CONSOLE_SESSIONS),
                    writes(Topics.ALERTS, Topics.ALERT_COMMANDS, Topics.SUBSCRIPTIONS, Topics.SILENCES,
                            Topics.WEBHOOK_RETRIES, Topics.DEADLETTER, Topics.CONSOLE_SESSIONS))),
            new Principal(ENGINEER, concat(
                    reads(Topics.THREAT_AGGREGATES, Topics.BREACHES, Topics.ALERTS),
                    List.of(new Grant(ResourceType.GROUP, PatternType.PREFIXED, ENGINEER_GROUP_PREFIX,
                            AclOperation.READ))))));

    private final List<Principal> principals;

    public AccessPolicy(final List<Principal> principals) {
        this.principals = List.copyOf(principals);
    }

    public List<Principal> principals() {
        return principals;
    }

    /** The principals' names, without the super user. */
    public List<String> names() {
        return principals.stream().map(Principal::name).toList();
    }

    /** Every grant as an allow ACL for {@code User:<name>} from any host. */
    public List<AclBinding> aclBindings() {
        return principals.stream().flatMap(Principal::aclBindings).toList();
    }

    /**
     * One principal: a SCRAM user name and what it may do.
     *
     * @param name   the SCRAM user name; the Kafka principal is {@code User:<name>}
     * @param grants allow ACLs; anything not granted is denied ({@code allow.everyone.if.no.acl.found=false})
     */
    public record Principal(String name, List<Grant> grants) {

        public Principal {
            grants = List.copyOf(grants);
        }

        public String kafkaPrincipal() {
            return "User:" + name;
        }

        Stream<AclBinding> aclBindings() {
            return grants.stream().flatMap(grant -> grant.operations().stream().map(operation -> new AclBinding(
                    new ResourcePattern(grant.type(), grant.name(), grant.pattern()),
                    new AccessControlEntry(kafkaPrincipal(), "*", operation, AclPermissionType.ALLOW))));
        }
    }

    /** Operations on one resource pattern (a literal name, or every name starting with a prefix). */
    public record Grant(ResourceType type, PatternType pattern, String name, List<AclOperation> operations) {

        public Grant(final ResourceType type, final PatternType pattern, final String name,
                     final AclOperation... operations) {
            this(type, pattern, name, List.of(operations));
        }

        public Grant {
            operations = List.copyOf(operations);
        }
    }

    private static List<Grant> owns(final String prefix) {
        return Stream.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)
                .map(type -> new Grant(type, PatternType.PREFIXED, prefix, AclOperation.ALL))
                .toList();
    }

    private static List<Grant> reads(final Topic<?, ?>... topics) {
        return topicGrants(AclOperation.READ, topics);
    }

    private static List<Grant> writes(final Topic<?, ?>... topics) {
        return topicGrants(AclOperation.WRITE, topics);
    }

    private static List<Grant> topicGrants(final AclOperation operation, final Topic<?, ?>... topics) {
        return Arrays.stream(topics)
                .map(topic -> new Grant(ResourceType.TOPIC, PatternType.LITERAL, topic.name(), operation))
                .toList();
    }

    @SafeVarargs
    private static List<Grant> concat(final List<Grant>... parts) {
        final List<Grant> all = new ArrayList<>();
        for (final List<Grant> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
