package org.borderwatch.alert.log;

import org.borderwatch.avro.Alert;

/**
 * One change of an alert as it stands in {@code border.alerts.v1}.
 *
 * @param alert     the change
 * @param partition its partition
 * @param offset    its offset
 * @param sequence  the order in which this instance read it (across partitions); -1 for a change read from Kafka
 *                  for one request (an SSE resume from before the tail, a history), outside that order
 */
public record LoggedAlert(Alert alert, int partition, long offset, long sequence) {

    /** Whether it was read from Kafka for one request rather than held in memory. */
    public boolean replayed() {
        return sequence < 0;
    }
}
