package io.cdcmarts.capture.engine;

import io.debezium.connector.postgresql.connection.DateTimeFormat;
import org.junit.jupiter.api.Test;

import java.time.OffsetTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins why a scalar timetz reaches DuckDB in UTC (#9): Debezium's stream parses pgoutput's text of a
 * timetz through this method, which moves it to UTC before any CustomConverter sees the value, so a
 * converter cannot give the offset back. When an upgrade keeps the offset this fails: that is the
 * moment to send PostgreSQL's text (the snapshot already reads it with getString) and map it to TIMETZ.
 */
class DebeziumTimetzTest {

    @Test
    void theStreamsTimetzParserDropsTheOffset() {
        OffsetTime parsed = DateTimeFormat.get().timeWithTimeZone("12:34:56.789+05:30");

        assertThat(parsed).isEqualTo(OffsetTime.parse("07:04:56.789Z"));
    }
}
