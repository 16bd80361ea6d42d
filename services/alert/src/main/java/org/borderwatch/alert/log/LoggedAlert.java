package org.borderwatch.alert.log;

import org.borderwatch.avro.Alert;

/**
 * One change of an alert as it stands in {@code border.alerts.v1}.
 *
 * @param alert     the change
 * @param partition its partition
 * @param offset    its offset
 * @param sequence  the order in which this instance read it (across partitions)
 */
public record LoggedAlert(Alert alert, int partition, long offset, long sequence) {
}
