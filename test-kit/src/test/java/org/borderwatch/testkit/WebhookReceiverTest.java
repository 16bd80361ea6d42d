package org.borderwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The receiver's own signature check, against the example published with the Standard Webhooks specification, and
 * its scripted answers over real HTTP.
 */
class WebhookReceiverTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void shouldVerifyWhenSignatureIsTheSpecificationExample() {
        assertThat(WebhookReceiver.verifies(received(ID, TIMESTAMP, BODY, SIGNATURE), SECRET)).isTrue();
    }

    @Test
    void shouldVerifyWhenOneOfTwoSignaturesMatchesDuringRotation() {
        final String rotated = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= " + SIGNATURE;

        assertThat(WebhookReceiver.verifies(received(ID, TIMESTAMP, BODY, rotated), SECRET)).isTrue();
    }

    @Test
    void shouldRejectWhenBodyIdOrTimestampDifferFromWhatWasSigned() {
        assertThat(WebhookReceiver.verifies(received(ID, TIMESTAMP, "{\"test\": 2432232315}", SIGNATURE), SECRET))
                .isFalse();
        assertThat(WebhookReceiver.verifies(received("msg_other", TIMESTAMP, BODY, SIGNATURE), SECRET)).isFalse();
        assertThat(WebhookReceiver.verifies(received(ID, "1614265331", BODY, SIGNATURE), SECRET)).isFalse();
        assertThat(WebhookReceiver.verifies(received(ID, TIMESTAMP, BODY, "v1a," + SIGNATURE.substring(3)), SECRET))
                .as("another scheme").isFalse();
        assertThat(WebhookReceiver.verifies(received(ID, TIMESTAMP, BODY, null), SECRET)).isFalse();
    }

    @Test
    void shouldAnswerFromTheScriptThenOkWhenRequestsArrive() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver().script("/flaky", 503, 302)) {
            final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            final java.util.List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(receiver.url("/flaky")))
                                .header("webhook-id", "msg_" + i).header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
            }

            assertThat(statuses).containsExactly(503, 302, 200);
            assertThat(receiver.received("/flaky")).extracting(WebhookReceiver.Received::id)
                    .containsExactly("msg_0", "msg_1", "msg_2");
            assertThat(receiver.received("/flaky").get(2).body()).isEqualTo("{\"n\":2}");
            assertThat(receiver.received("/flaky").get(2).contentType()).isEqualTo("application/json");
            assertThat(receiver.received("/other")).isEmpty();
        }
    }

    private static WebhookReceiver.Received received(final String id, final String timestamp, final String body,
                                                     final String signature) {
        return new WebhookReceiver.Received("/hook", id, timestamp, signature, "application/json", body);
    }
}
