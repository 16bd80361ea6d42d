package org.borderwatch.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    @Test
    void shouldWaitAtLeastRetryAfterWhenTheServiceNamesIt() throws Exception {
        final List<String> notices = new ArrayList<>();
        final RetryBudget budget = new RetryBudget(Duration.ofSeconds(10), notices::add);

        final long started = System.nanoTime();
        assertThat(budget.awaitRetry(Optional.of(Duration.ofSeconds(2)), "Kafka is unavailable")).isTrue();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(notices).containsExactly("Kafka is unavailable; retrying in 2 s; giving up if still unavailable"
                + " after 10 s (10 s left)");
    }

    @Test
    void shouldGiveUpAtOnceWhenTheWaitWouldPassTheBudget() throws Exception {
        final RetryBudget budget = new RetryBudget(Duration.ofSeconds(3), notice -> { });

        final long started = System.nanoTime();
        assertThat(budget.awaitRetry(Optional.of(Duration.ofSeconds(5)), "down")).isFalse();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(budget.exhausted()).isTrue();
        assertThat(budget.awaitRetry(Optional.empty(), "down")).isFalse();
    }

    @Test
    void shouldDescribeAProblemWithoutTheWordNullWhenItsDetailIsNull() {
        final ApiResponse response = new ApiResponse(ApiClient.Service.INGEST, "http://127.0.0.1:8081", 503,
                "{\"title\":\"Temporarily unavailable\",\"detail\":null}", Optional.of(Duration.ofSeconds(5)), null);

        assertThat(response.describe()).isEqualTo("Kafka is unavailable: the ingest API answered HTTP 503:"
                + " Temporarily unavailable");
    }

    @Test
    void shouldReadRetryAfterAsSecondsOrHttpDate() {
        assertThat(ApiResponse.retryAfter("7")).contains(Duration.ofSeconds(7));
        assertThat(ApiResponse.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
        assertThat(ApiResponse.retryAfter("soon")).isEmpty();
    }
}
