package io.cdcmarts.capture.engine;

import io.cdcmarts.common.event.RawChangeEvent;
import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PgArrayConverterTest {

    @Test
    void arrayTypesAreRecognisedByEitherSpelling() {
        assertThat(PgArrayConverter.elementType("_int4")).isEqualTo("int4");
        assertThat(PgArrayConverter.elementType("_timestamptz")).isEqualTo("timestamptz");
        assertThat(PgArrayConverter.elementType("integer[]")).isEqualTo("integer");
        assertThat(PgArrayConverter.elementType("int4")).as("not an array").isNull();
        assertThat(PgArrayConverter.elementType("_")).isNull();
        assertThat(PgArrayConverter.elementType(null)).isNull();
    }

    @Test
    void valuesAreTheServersTextAndUnchangedToastIsThePlaceholder() {
        assertThat(PgArrayConverter.text("{{1,2},{3,NULL}}")).isEqualTo("{{1,2},{3,NULL}}");
        assertThat(PgArrayConverter.text(null)).isNull();
        assertThat(PgArrayConverter.text(UnchangedToastedReplicationMessageColumn.UNCHANGED_INT_ARRAY_TOAST_VALUE))
                .isEqualTo(RawChangeEvent.UNAVAILABLE_VALUE);
        assertThat(PgArrayConverter.text(UnchangedToastedReplicationMessageColumn.UNCHANGED_TEXT_ARRAY_TOAST_VALUE))
                .isEqualTo(RawChangeEvent.UNAVAILABLE_VALUE);
    }
}
