package org.borderwatch.alert.support;

import java.nio.file.Path;

import org.borderwatch.kafka.embedded.EmbeddedKafkaCluster;
import org.borderwatch.testkit.WebhookReceiver;

/**
 * What most alert API tests run against: a real one-node broker with the topics, one alert service, a writer of
 * breaches and a webhook receiver. Closes them in the right order (the service before the broker).
 */
public final class AlertStack implements AutoCloseable {

    private final EmbeddedKafkaCluster kafka;
    private final AlertApp app;
    private final Breaches breaches;
    private final WebhookReceiver receiver;

    private AlertStack(final EmbeddedKafkaCluster kafka, final AlertApp app, final Breaches breaches,
                       final WebhookReceiver receiver) {
        this.kafka = kafka;
        this.app = app;
        this.breaches = breaches;
        this.receiver = receiver;
    }

    public static AlertStack start(final Path dir) {
        final EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(1).port(0).build().start();
        kafka.createTopics();
        return new AlertStack(kafka, AlertApp.start(kafka, dir), new Breaches(kafka.bootstrapServers()),
                new WebhookReceiver());
    }

    public AlertApp app() {
        return app;
    }

    public Breaches breaches() {
        return breaches;
    }

    public WebhookReceiver receiver() {
        return receiver;
    }

    @Override
    public void close() {
        receiver.close();
        breaches.close();
        app.close();
        kafka.close();
    }
}
