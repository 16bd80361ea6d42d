package org.borderwatch.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One single-node cluster shared by the tests of this class; each test uses topics of its own. */
class SingleBrokerTest {

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.builder().build().start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void shouldDeliverCommittedRecordsOnlyWhenProducingTransactionally() throws Exception {
        TestClients.createTopic(kafka, "eos-check", 3);
        final List<String> committed = IntStream.range(0, 100).mapToObj(i -> "committed-" + i).toList();

        TestClients.produceTransactionally(kafka, "eos-check", committed, List.of("aborted-0", "aborted-1"));

        assertThat(TestClients.consume(kafka, "eos-check", committed.size(), IsolationLevel.READ_COMMITTED))
                .containsExactlyInAnyOrderElementsOf(committed);
        // The aborted records are in the log: only the isolation level hides them.
        assertThat(TestClients.consume(kafka, "eos-check", committed.size() + 2, IsolationLevel.READ_UNCOMMITTED))
                .contains("aborted-0", "aborted-1");
    }

    @Test
    void shouldCreateExactlyTheRegistryTopicsOnceWhenCalledTwice() throws Exception {
        final List<String> created = kafka.createTopics();
        final List<String> createdAgain = kafka.createTopics();

        assertThat(created).containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(Topic::name).toList());
        assertThat(createdAgain).isEmpty();
        try (Admin admin = TestClients.admin(kafka)) {
            final Map<String, TopicDescription> descriptions = admin.describeTopics(created).allTopicNames().get();
            final Map<ConfigResource, Config> configs = admin.describeConfigs(created.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all().get();
            for (final Topic<?, ?> topic : Topics.ALL) {
                final TopicDescription description = descriptions.get(topic.name());
                assertThat(description.partitions()).as(topic.name()).hasSize(topic.partitions());
                assertThat(description.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(1));
                final Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                topic.configs().forEach((key, value) ->
                        assertThat(config.get(key).value()).as(topic.name() + " " + key).isEqualTo(value));
                assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
            }
        }
    }

    @Test
    void shouldListenOnLoopbackOnlyWhenStarted() throws Exception {
        try (Admin admin = TestClients.admin(kafka)) {
            final ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
            final Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);

            assertThat(hosts(config.get("listeners").value())).containsOnly("127.0.0.1");
            assertThat(hosts(config.get("advertised.listeners").value())).containsOnly("127.0.0.1");
        }
        // A broker listening on all interfaces would hold the port on every address too; binding it on each
        // non-loopback address of this machine proves it does not (a local bind: no traffic is sent).
        final int port = Integer.parseInt(kafka.bootstrapServers().split(":")[1]);
        for (final InetAddress address : nonLoopbackAddresses()) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(address, port));
                assertThat(socket.isBound()).as(address.toString()).isTrue();
            }
        }
    }

    /** The hosts of a listener list such as {@code PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093}. */
    private static Collection<String> hosts(final String listeners) {
        return Arrays.stream(listeners.split(","))
                .map(listener -> listener.substring(listener.indexOf("://") + 3, listener.lastIndexOf(':')))
                .collect(Collectors.toSet());
    }

    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(SingleBrokerTest::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress())
                // Link-local IPv6 addresses need a scope to bind; the others make the point.
                .filter(address -> !(address instanceof Inet6Address && address.isLinkLocalAddress()))
                .toList();
    }

    private static boolean isUp(final NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp();
        } catch (final SocketException e) {
            return false;
        }
    }
}
