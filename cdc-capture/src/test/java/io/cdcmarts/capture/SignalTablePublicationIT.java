package io.cdcmarts.capture;

import io.cdcmarts.capture.postgres.SourceDatabase;
import io.cdcmarts.capture.signal.SignalTable;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The signal table on the shared PostgreSQL 18: created once with its schema, part of the
 * publication beside the captured schema or tables, and a second start with the same configuration
 * changes nothing and warns of nothing. A snapshot request is one row in Debezium's layout.
 */
class SignalTablePublicationIT {

    private static final SignalTable SIGNAL = new SignalTable("cdc_marts", "signal_it");

    private final PgDsn db = SharedInfra.get().newDatabase("signal_table_it");

    @Test
    void theSignalTableIsPublishedBesideTheCapturedTablesAndKeptSoOnRestart() {
        Sql.run(db, "CREATE TABLE a (id INT PRIMARY KEY)", "CREATE TABLE b (id INT PRIMARY KEY)", "CREATE TABLE c (v TEXT)");
        try (SourceDatabase source = SourceDatabase.connect(db, "public")) {
            source.ensureSignalTable(SIGNAL, "pub");
            source.ensureSignalTable(SIGNAL, "pub");
            source.ensurePublication("pub", List.of("a", "b"), 18, SIGNAL);
            assertThat(published("pub")).isEqualTo("cdc_marts.signal_it,public.a,public.b");

            try (LogCapture logs = new LogCapture(SourceDatabase.class.getName())) {
                source.ensurePublication("pub", List.of("a", "b"), 18, SIGNAL);
                assertThat(logs.lines()).noneMatch(l -> l.contains("setting it to"));
            }

            source.ensurePublication("pub", List.of("a"), 18, SIGNAL);
            assertThat(published("pub")).isEqualTo("cdc_marts.signal_it,public.a");
            try (LogCapture logs = new LogCapture(SourceDatabase.class.getName())) {
                source.ensurePublication("pub", List.of("a"), 18, SIGNAL);
                assertThat(logs.lines()).noneMatch(l -> l.contains("setting it to"));
            }

            String id = source.requestSnapshot(SIGNAL, List.of("a", "b"));
            assertThat(Sql.queryString(db, "SELECT type || ' ' || data FROM cdc_marts.signal_it WHERE id = '" + id + "'"))
                    .isEqualTo("execute-snapshot {\"data-collections\":[\"public.a\",\"public.b\"],\"type\":\"incremental\"}");

            assertThatThrownBy(() -> source.requestSnapshot(SIGNAL, List.of("c")))
                    .isInstanceOf(CaptureException.class).hasMessageContaining("public.c has no primary key");
            assertThatThrownBy(() -> source.requestSnapshot(new SignalTable("cdc_marts", "missing"), List.of("a")))
                    .isInstanceOf(CaptureException.class)
                    .hasMessageContaining("cdc_marts.missing does not exist").hasMessageContaining("start capture");
            Sql.run(db, "CREATE TABLE cdc_marts.unpublished (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32), data VARCHAR(2048))");
            assertThatThrownBy(() -> source.requestSnapshot(new SignalTable("cdc_marts", "unpublished"), List.of("a")))
                    .isInstanceOf(CaptureException.class)
                    .hasMessageContaining("cdc_marts.unpublished on PostgreSQL at").hasMessageContaining("is in no publication");
        } finally {
            Sql.run(db, "DROP PUBLICATION IF EXISTS pub");
        }
    }

    private String published(String publication) {
        return Sql.queryString(db, "SELECT string_agg(schemaname || '.' || tablename, ',' ORDER BY schemaname, tablename)"
                + " FROM pg_publication_tables WHERE pubname = '" + publication + "'");
    }
}
