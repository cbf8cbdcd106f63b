package io.cdcmarts.capture.postgres;

import io.cdcmarts.capture.CaptureException;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.testing.SharedInfra;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The publication capture owns, on the shared PostgreSQL 18: created, then kept in line with the config. */
class SourceDatabaseIT {

    private final PgDsn db = SharedInfra.get().newDatabase("source_database_it");

    @Test
    void publicationFollowsTheConfigurationAndPublishesGeneratedColumns() throws SQLException {
        // Given the schema-wide publication of an earlier capture, without generated columns
        run("CREATE TABLE a (id INT PRIMARY KEY)", "CREATE TABLE b (id INT PRIMARY KEY)", "CREATE TABLE c (v TEXT)",
                "CREATE TABLE full_row (v TEXT)", "ALTER TABLE full_row REPLICA IDENTITY FULL",
                "CREATE TABLE nothing (id INT PRIMARY KEY)", "ALTER TABLE nothing REPLICA IDENTITY NOTHING",
                "CREATE TABLE by_index (id INT NOT NULL, v TEXT)", "CREATE UNIQUE INDEX by_index_id ON by_index (id)",
                "ALTER TABLE by_index REPLICA IDENTITY USING INDEX by_index_id",
                "CREATE PUBLICATION pub FOR TABLES IN SCHEMA public");
        try (SourceDatabase source = SourceDatabase.connect(db, "public")) {
            source.requireLogicalWal();
            assertThat(source.majorVersion()).isEqualTo(18);
            assertThat(source.tables()).containsExactly(new SourceTable("a", true, true), new SourceTable("b", true, true),
                    new SourceTable("by_index", false, true), new SourceTable("c", false, false),
                    new SourceTable("full_row", false, true), new SourceTable("nothing", true, false));
            assertThat(source.canEmitLogicalMessages()).isTrue();

            // When capture takes two of its tables: a list, and nothing published late (both were published)
            assertThat(source.ensurePublication("pub", List.of("a", "b"), 18)).isEmpty();

            // Then the key-less table is no longer published, so its UPDATE works again
            assertThat(query("SELECT pubgencols::text FROM pg_publication WHERE pubname = 'pub'")).containsExactly("s");
            assertThat(query("SELECT count(*)::text FROM pg_publication_namespace")).containsExactly("0");
            assertThat(query("SELECT tablename FROM pg_publication_tables WHERE pubname = 'pub' ORDER BY 1"))
                    .containsExactly("a", "b");
            run("INSERT INTO c VALUES ('x')", "UPDATE c SET v = 'y'", "DELETE FROM c");

            // When it takes one, then two again (and again: nothing to change)
            assertThat(source.ensurePublication("pub", List.of("a"), 18)).isEmpty();
            assertThat(source.ensurePublication("pub", List.of("a", "b"), 18)).containsExactly("b");
            assertThat(source.ensurePublication("pub", List.of("a", "b"), 18)).isEmpty();
            assertThat(query("SELECT tablename FROM pg_publication_tables WHERE pubname = 'pub' ORDER BY 1"))
                    .containsExactly("a", "b");

            // When no table qualifies any more
            assertThat(source.ensurePublication("pub", List.of(), 18)).isEmpty();
            assertThat(query("SELECT count(*)::text FROM pg_publication_tables WHERE pubname = 'pub'")).containsExactly("0");

            // A new one is created as configured, also with no table yet
            assertThat(source.ensurePublication("fresh", List.of("b"), 18)).isEmpty();
            assertThat(query("SELECT tablename FROM pg_publication_tables WHERE pubname = 'fresh'")).containsExactly("b");
            assertThat(query("SELECT pubgencols::text FROM pg_publication WHERE pubname = 'fresh'")).containsExactly("s");
            assertThat(source.ensurePublication("empty", List.of(), 18)).isEmpty();
            assertThat(query("SELECT count(*)::text FROM pg_publication WHERE pubname = 'empty'")).containsExactly("1");
        }
    }

    @Test
    void aPublicationForAllTablesIsNotTakenOver() throws SQLException {
        run("CREATE PUBLICATION everything FOR ALL TABLES");
        try (SourceDatabase source = SourceDatabase.connect(db, "public")) {
            assertThatThrownBy(() -> source.ensurePublication("everything", List.of("a"), 18))
                    .isInstanceOf(CaptureException.class)
                    .hasMessageContaining("FOR ALL TABLES").hasMessageContaining("--publication");
        } finally {
            run("DROP PUBLICATION everything");
        }
    }

    private void run(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
             Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.jdbcProperties());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
