package org.borderwatch.aggregator.region;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The Bloom filter in front of the dedup store never forgets an id it holds; it drops only expired generations. */
class SeenFilterTest {

    private static final long DAY = 24L * 60 * 60 * 1000;

    @Test
    void shouldAnswerMaybeForEveryAddedIdAndRarelyForOthersWhenFillingSeveralFilters() {
        final SeenFilter filter = new SeenFilter();
        final List<String> added = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            final String id = new UUID(0xB0BDE4L, i).toString();
            added.add(id);
            filter.add(id, 10 * DAY + (i % 3) * DAY);
        }

        assertThat(added).allMatch(filter::mightContain);
        int falsePositives = 0;
        for (int i = 0; i < 100_000; i++) {
            if (filter.mightContain(UUID.randomUUID().toString())) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).as("false positives in 100,000").isLessThan(5_000);
    }

    @Test
    void shouldDropOnlyGenerationsEntirelyBeforeTheCutOffWhenExpiring() {
        final SeenFilter filter = new SeenFilter();
        filter.add("old", 10 * DAY + 5);
        filter.add("edge", 11 * DAY);
        filter.add("new", 12 * DAY + 7);

        filter.expireBefore(11 * DAY + 1);

        assertThat(filter.generations()).isEqualTo(2);
        assertThat(filter.mightContain("edge")).isTrue();
        assertThat(filter.mightContain("new")).isTrue();
    }
}
