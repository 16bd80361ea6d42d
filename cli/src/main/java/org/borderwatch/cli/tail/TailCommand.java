package org.borderwatch.cli.tail;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.borderwatch.cli.CliException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.borderwatch.schemas.AvroMaps;
import org.borderwatch.schemas.Topic;
import org.borderwatch.schemas.Topics;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Prints a topic's records as JSON lines: {@code {"topic","partition","offset","timestamp","key","value"}} with the
 * value decoded from Avro single-object encoding through the topic registry. Reads every partition by assignment
 * (no consumer group, nothing committed) and only committed transactions ({@code read_committed}).
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print a topic's records as JSON lines (values decoded from Avro).")
public final class TailCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Topic name, e.g. border.incidents.v1")
    String topicName;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--from", defaultValue = "earliest", description = "earliest or latest (default: ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--follow", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Wait for new records (default); --no-follow stops at the end of the topic.")
    boolean follow;

    @Option(names = {"-n", "--max"}, defaultValue = "-1", description = "Stop after this many records.")
    long max;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        final Topic<?, ?> topic;
        try {
            topic = Topics.byName(topicName);
        } catch (final IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (!"earliest".equals(from) && !"latest".equals(from)) {
            throw new CliException(2, "--from must be earliest or latest; got " + from);
        }
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, from);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "borderwatch-tail");
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            if ("latest".equals(from)) {
                consumer.seekToEnd(partitions);
            } else {
                consumer.seekToBeginning(partitions);
            }
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long printed = 0;
            while (max < 0 || printed < max) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    out.println(json.writeValueAsString(render(topic, record)));
                    if (max >= 0 && ++printed >= max) {
                        break;
                    }
                }
                out.flush();
                if (!follow && caughtUp(consumer, end)) {
                    break;
                }
            }
        }
        out.flush();
        return 0;
    }

    private List<TopicPartition> partitions(final KafkaConsumer<?, ?> consumer, final Topic<?, ?> topic) {
        final List<PartitionInfo> found;
        try {
            found = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
        } catch (final TimeoutException e) {
            throw CliException.kafkaUnreachable(bootstrapServers);
        }
        if (found.isEmpty()) {
            throw new CliException(1, "Topic " + topic.name() + " does not exist on " + bootstrapServers
                    + " (./borderwatch topics create makes it)");
        }
        return found.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static boolean caughtUp(final KafkaConsumer<?, ?> consumer, final Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    static Map<String, Object> render(final Topic<?, ?> topic, final ConsumerRecord<byte[], byte[]> record) {
        final Map<String, Object> line = new LinkedHashMap<>();
        line.put("topic", record.topic());
        line.put("partition", record.partition());
        line.put("offset", record.offset());
        line.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        line.put("key", record.key() == null ? null : keyText(topic, record.key()));
        if (record.headers().toArray().length > 0) {
            final Map<String, String> headers = new LinkedHashMap<>();
            for (final Header header : record.headers()) {
                headers.put(header.key(), header.value() == null ? null
                        : new String(header.value(), StandardCharsets.UTF_8));
            }
            line.put("headers", headers);
        }
        final Deserializer<?> values = topic.valueSerde().deserializer();
        if (record.value() == null) {
            line.put("value", null);
        } else if (topic.valueSerde().deserializer() instanceof ByteArrayDeserializer) {
            line.put("valueBase64", Base64.getEncoder().encodeToString(record.value()));
        } else {
            try {
                line.put("value", AvroMaps.toMap((SpecificRecordBase) values.deserialize(record.topic(), record.value())));
            } catch (final SerializationException e) {
                line.put("error", e.getMessage());
                line.put("valueBase64", Base64.getEncoder().encodeToString(record.value()));
            }
        }
        return line;
    }

    private static String keyText(final Topic<?, ?> topic, final byte[] key) {
        return topic.keySerde() == Topics.KEY ? new String(key, StandardCharsets.UTF_8)
                : Base64.getEncoder().encodeToString(key);
    }
}
