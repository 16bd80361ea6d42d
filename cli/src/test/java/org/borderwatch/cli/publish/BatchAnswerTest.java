package org.borderwatch.cli.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class BatchAnswerTest {

    private static final String ANSWER = """
            {"lines":3,"accepted":1,"rejected":1,"failed":1,"results":[
             {"line":1,"status":"accepted","eventId":"e1","topic":"border.incidents.v1","partition":2,"offset":7},
             {"line":3,"status":"rejected","eventId":"e2","errors":[
              {"field":"region","rule":"unknown-region","message":"region 'TJ-XX' is not known"},
              {"field":"","rule":"malformed-json","message":"not JSON","extra":{"nested":[1,2]}}]},
             {"line":4,"status":"failed","eventId":"e3","errors":[{"field":"","rule":"kafka-unavailable",
              "message":"outcome unknown"}]}]}
            """;

    @Test
    void shouldReadEveryResultWithItsErrorsWhenTheAnswerIsABatchResult() {
        final BatchAnswer answer = BatchAnswer.parse(ANSWER);

        assertThat(answer.json()).isTrue();
        assertThat(answer.accepted()).isEqualTo(1);
        assertThat(answer.failed()).isEqualTo(1);
        assertThat(answer.results()).containsExactly(
                new BatchAnswer.Result(1, "accepted", List.of()),
                new BatchAnswer.Result(3, "rejected", List.of(
                        new BatchAnswer.Error("region", "unknown-region", "region 'TJ-XX' is not known"),
                        new BatchAnswer.Error("", "malformed-json", "not JSON"))),
                new BatchAnswer.Result(4, "failed", List.of(
                        new BatchAnswer.Error("", "kafka-unavailable", "outcome unknown"))));
    }

    @Test
    void shouldReadTheTotalsWithoutTheResultsWhenOnlyTotalsAreAskedFor() {
        final BatchAnswer totals = BatchAnswer.totals(ANSWER);

        assertThat(totals.accepted()).isEqualTo(1);
        assertThat(totals.failed()).isEqualTo(1);
        assertThat(totals.results()).isEmpty();
        assertThat(BatchAnswer.totals("{\"results\":[],\"failed\":2,\"accepted\":0}").failed()).isEqualTo(2);
    }

    @Test
    void shouldSayItIsNotJsonWhenTheBodyIsNoJsonObject() {
        assertThat(BatchAnswer.parse("").json()).isFalse();
        assertThat(BatchAnswer.parse("<html>busy</html>").json()).isFalse();
        assertThat(BatchAnswer.parse("[1, 2]").json()).isFalse();
        assertThat(BatchAnswer.parse("{\"accepted\": 1, \"results\": [{\"line\": ").results()).isEmpty();
    }
}
