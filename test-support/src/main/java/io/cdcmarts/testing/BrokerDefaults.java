package io.cdcmarts.testing;

import java.util.Map;

/** Broker settings that {@code local}'s broker and the tests' broker share with docker compose's. */
final class BrokerDefaults {

    /**
     * How long the broker itself retries a transactional produce that finds the producer's previous
     * transaction still completing, instead of answering {@code CONCURRENT_TRANSACTIONS}.
     * <p>
     * With transactions v2 (KIP-890, the default from Kafka 4.0) a produce request adds its
     * partition to the transaction implicitly; the processor's exactly-once producer commits every
     * 100 ms and starts its next transaction at once, while the coordinator is still writing the
     * previous one's markers to some forty partitions. The broker retries that for up to
     * {@code add.partitions.to.txn.retry.backoff.max.ms} (default 100 ms, KAFKA-18654; capped by
     * the broker's {@code request.timeout.ms}, 30 s), then returns the
     * error; the producer logs a warning per partition, backs off {@code retry.backoff.ms}, and
     * the batches in flight behind it are refused as out of sequence and resent too. On a busy
     * 2-core machine the markers take longer than 100 ms. Waiting on the broker costs nothing
     * extra (it retries every 20 ms and answers as soon as the markers are written) and removes
     * the warnings, the out-of-sequence errors and the client's back-off.
     */
    static final Map<String, String> TRANSACTIONS = Map.of("add.partitions.to.txn.retry.backoff.max.ms", "5000");

    private BrokerDefaults() {
    }
}
