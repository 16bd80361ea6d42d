package org.borderwatch.alert.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.borderwatch.avro.Subscription;
import org.borderwatch.avro.SubscriptionChannel;
import org.borderwatch.avro.SubscriptionFormat;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    @Test
    void shouldMatchTheStandardWebhooksReferenceSignatureWhenSigningItsExample() {
        // The example of the Standard Webhooks specification.
        final String signature = WebhookSigner.sign(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void shouldMakeSecretsOfAtLeast24RandomBytesWhenGenerating() {
        final String secret = WebhookSigner.newSecret();

        assertThat(secret).startsWith("whsec_").isNotEqualTo(WebhookSigner.newSecret());
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSizeGreaterThanOrEqualTo(24);
    }

    @Test
    void shouldSignWithTheOldSecretOnlyUntilTheRotationGraceEnds() {
        final Instant now = Instant.parse("2025-05-01T00:00:00Z");
        final Subscription rotated = Subscription.newBuilder()
                .setSubscriptionId("sub").setOwner("ops").setOwnerRegions(List.of("*"))
                .setChannel(SubscriptionChannel.WEBHOOK).setFormat(SubscriptionFormat.JSON).setUrl("https://example.org")
                .setSecrets(List.of("whsec_bmV3", "whsec_b2xk")).setPreviousSecretExpiresAt(now.plusSeconds(60))
                .setCreatedAt(now).setUpdatedAt(now).build();

        final List<String> secrets = rotated.getSecrets();
        assertThat(WebhookSender.activeSecrets(secrets, rotated, now)).containsExactly("whsec_bmV3", "whsec_b2xk");
        assertThat(WebhookSender.activeSecrets(secrets, rotated, now.plusSeconds(60))).containsExactly("whsec_bmV3");
    }
}
