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
        // Given a publication someone created for one table, without generated columns
        run("CREATE TABLE a (id INT PRIMARY KEY)", "CREATE TABLE b (id INT PRIMARY KEY)", "CREATE TABLE c (v TEXT)",
                "CREATE PUBLICATION pub FOR TABLE a");
        try (SourceDatabase source = SourceDatabase.connect(db, "public")) {
            source.requireLogicalWal();
            assertThat(source.majorVersion()).isEqualTo(18);
            assertThat(source.tables()).containsExactly(new SourceTable("a", true), new SourceTable("b", true),
                    new SourceTable("c", false));
            assertThat(source.canEmitLogicalMessages()).isTrue();

            // When capture takes the whole schema
            source.ensurePublication("pub", List.of(), 18);

            // Then
            assertThat(query("SELECT pubgencols::text FROM pg_publication WHERE pubname = 'pub'")).containsExactly("s");
            assertThat(query("SELECT n.nspname FROM pg_publication_namespace pn JOIN pg_namespace n ON n.oid = pn.pnnspid"))
                    .containsExactly("public");
            assertThat(query("SELECT tablename FROM pg_publication_tables WHERE pubname = 'pub' ORDER BY 1"))
                    .containsExactly("a", "b", "c");

            // When it takes a list of tables, and again (nothing to change)
            source.ensurePublication("pub", List.of("a", "b"), 18);
            source.ensurePublication("pub", List.of("a", "b"), 18);
            assertThat(query("SELECT tablename FROM pg_publication_tables WHERE pubname = 'pub' ORDER BY 1"))
                    .containsExactly("a", "b");
            assertThat(query("SELECT count(*)::text FROM pg_publication_namespace")).containsExactly("0");

            // A new one is created as configured
            source.ensurePublication("fresh", List.of("b"), 18);
            assertThat(query("SELECT tablename FROM pg_publication_tables WHERE pubname = 'fresh'")).containsExactly("b");
            assertThat(query("SELECT pubgencols::text FROM pg_publication WHERE pubname = 'fresh'")).containsExactly("s");
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
