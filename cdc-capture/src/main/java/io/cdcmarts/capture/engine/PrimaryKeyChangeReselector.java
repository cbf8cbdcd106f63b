package io.cdcmarts.capture.engine;

import io.debezium.processors.reselect.ReselectColumnsPostProcessor;
import org.apache.kafka.connect.data.Struct;

/**
 * Debezium's reselect post-processor, for the create half of a primary-key change only.
 *
 * <p>{@code UPDATE t SET id = 16 WHERE id = 6} reaches Debezium as a delete of key 6 and a create of
 * key 16 whose unchanged TOASTed columns hold the placeholder. A consumer keeps the stored value for
 * a placeholder, but under key 16 it has none: the values would be lost. For such a create this
 * processor reads those columns again from PostgreSQL by the new key. Plain updates keep their
 * placeholders (consumers keep what they have, and no query is spent on them); inserts and snapshot
 * reads never carry one.
 *
 * <p>The value read is the row's value when the event is sent, which may be newer than the event
 * if the row changed again meanwhile; the later change's own event follows, so the copy ends equal.
 */
public final class PrimaryKeyChangeReselector extends ReselectColumnsPostProcessor {

    @Override
    public void apply(Object key, Struct value) {
        if (value != null && value.schema().field("op") != null && "c".equals(value.getString("op"))) {
            super.apply(key, value);
        }
    }
}
