package org.borderwatch.aggregator.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.borderwatch.aggregator.window.BucketKey;
import org.borderwatch.aggregator.window.WindowSpec;
import org.borderwatch.avro.AlertRule;
import org.borderwatch.avro.ThreatType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's snapshot of the rules in the global rules store, re-read at every emit. Comparing snapshots tells which
 * rules were added or changed, so a new rule is evaluated at once against every key in the task instead of waiting
 * for the next event of each key. Rules are few (tens), so re-reading them every second is cheap.
 */
public final class RuleBook {

    private static final Logger LOG = LoggerFactory.getLogger(RuleBook.class);

    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<AlertRule>> store;
    private final List<WindowSpec> windows;
    private Map<String, AlertRule> rules = Map.of();
    /** {@link #matching} per aggregate key, as of the last refresh: a report asks it without filtering every rule. */
    private final Map<String, List<AlertRule>> matchingByKey = new HashMap<>();
    private final Map<String, Optional<WindowSpec>> windowsByName = new HashMap<>();
    private long version;

    public RuleBook(final ReadOnlyKeyValueStore<String, ValueAndTimestamp<AlertRule>> store,
                    final List<WindowSpec> windows) {
        this.store = store;
        this.windows = windows;
    }

    /** Re-reads the rules; returns the enabled, evaluable rules that are new or changed since the last refresh. */
    public List<AlertRule> refresh() {
        final Map<String, AlertRule> latest = new HashMap<>();
        try (KeyValueIterator<String, ValueAndTimestamp<AlertRule>> all = store.all()) {
            while (all.hasNext()) {
                final KeyValue<String, ValueAndTimestamp<AlertRule>> entry = all.next();
                if (entry.value != null && entry.value.value() != null) {
                    latest.put(entry.key, entry.value.value());
                }
            }
        }
        final List<AlertRule> changed = new ArrayList<>();
        for (final AlertRule rule : latest.values()) {
            if (rule.equals(rules.get(rule.getRuleId()))) {
                continue;
            }
            if (window(rule).isEmpty()) {
                LOG.warn("Rule {} watches window {}, which is not a configured window {}; it is not evaluated until"
                        + " its window is changed to one of them", rule.getRuleId(), rule.getWindow(), windowNames());
            } else if (rule.getEnabled()) {
                changed.add(rule);
            }
        }
        if (!latest.equals(rules)) {
            matchingByKey.clear();
            version++;
        }
        rules = latest;
        return changed;
    }

    /** The rule as of the last refresh, or null when it does not exist (any more). */
    public AlertRule get(final String ruleId) {
        return rules.get(ruleId);
    }

    /** Whether {@code rule} currently applies to this aggregate: enabled, evaluable and matching. */
    public boolean applies(final AlertRule rule, final Level level, final String code, final ThreatType threatType) {
        return rule != null && rule.getEnabled() && window(rule).isPresent()
                && RuleMatch.matches(rule, level, code, threatType);
    }

    public List<AlertRule> matching(final Level level, final String code, final ThreatType threatType) {
        return rules.values().stream().filter(rule -> applies(rule, level, code, threatType)).toList();
    }

    /** {@link #matching} for the aggregate {@code key} ({@code code|threatType}), remembered until the rules change. */
    public List<AlertRule> matching(final Level level, final String key) {
        final List<AlertRule> known = matchingByKey.get(key);
        if (known != null) {
            return known;
        }
        final BucketKey bucketKey = BucketKey.parse(key);
        final List<AlertRule> found = matching(level, bucketKey.code(), bucketKey.threatType());
        matchingByKey.put(key, found);
        return found;
    }

    public Optional<WindowSpec> window(final AlertRule rule) {
        return window(rule.getWindow());
    }

    public Optional<WindowSpec> window(final String window) {
        return windowsByName.computeIfAbsent(window, name -> WindowSpec.find(windows, name));
    }

    /** Changes whenever a refresh finds the rules changed (added, changed, disabled or deleted). */
    public long version() {
        return version;
    }

    private List<String> windowNames() {
        return windows.stream().map(WindowSpec::name).toList();
    }
}
