package io.cdcmarts.capture.engine;

import io.cdcmarts.common.event.RawChangeEvent;
import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PGobject;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class CompositeTypeConverterTest {

    @Test
    void theSnapshotsObjectAndTheStreamsTextOrBytesAreThePostgresText() throws SQLException {
        PGobject snapshot = new PGobject();
        snapshot.setType("pair");
        snapshot.setValue("(1,\"one, \"\"quoted\"\"\")");

        assertThat(CompositeTypeConverter.text(snapshot)).isEqualTo("(1,\"one, \"\"quoted\"\"\")");
        assertThat(CompositeTypeConverter.text("(1,)")).isEqualTo("(1,)");
        assertThat(CompositeTypeConverter.text("(2,x)".getBytes(StandardCharsets.UTF_8))).isEqualTo("(2,x)");
        assertThat(CompositeTypeConverter.text(null)).isNull();
    }

    @Test
    void anUnchangedToastedValueIsThePlaceholder() {
        assertThat(CompositeTypeConverter.text(UnchangedToastedReplicationMessageColumn.UNCHANGED_TOAST_VALUE))
                .isEqualTo(RawChangeEvent.UNAVAILABLE_VALUE);
    }
}
