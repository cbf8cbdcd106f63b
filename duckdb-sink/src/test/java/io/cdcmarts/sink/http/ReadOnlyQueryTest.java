package io.cdcmarts.sink.http;

import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Read-only enforcement on a real DuckDB file, with the writer's connection open beside the reader's, as in the sink. */
class ReadOnlyQueryTest {

    @TempDir
    Path dir;

    private DuckDBConnection writer;
    private Connection reader;
    private final ReadOnlyQuery query = new ReadOnlyQuery(Duration.ofSeconds(2), 3);

    @BeforeEach
    void open() throws Exception {
        writer = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("db.duckdb"));
        try (Statement s = writer.createStatement()) {
            s.execute("CREATE SCHEMA mart");
            s.execute("CREATE TABLE mart.kpis (kpi_scope VARCHAR PRIMARY KEY, orders BIGINT, revenue DECIMAL(18,2))");
            s.execute("INSERT INTO mart.kpis VALUES ('all', 3, 1234.50)");
            s.execute("CREATE TABLE mart.days AS SELECT range AS d FROM range(10)");
        }
        Files.writeString(dir.resolve("secret.csv"), "a,b\n1,2\n");
        reader = writer.duplicate();
        ReadOnlyQuery.lockDown(reader);
    }

    @AfterEach
    void close() throws Exception {
        reader.close();
        writer.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO mart.kpis VALUES ('x', 1, 1)",
            "INSERT INTO mart.kpis VALUES ('x', 1, 1) RETURNING *",
            "UPDATE mart.kpis SET orders = 0",
            "DELETE FROM mart.kpis",
            "DROP TABLE mart.kpis",
            "CREATE TABLE mart.evil (i INT)",
            "CREATE TABLE mart.evil AS SELECT 1",
            "COPY mart.kpis TO '/tmp/out.csv'",
            "ATTACH '/tmp/other.duckdb' AS other",
            "SET threads = 1",
            "PRAGMA version",
            "CALL pragma_version()",
            "INSTALL httpfs",
            "LOAD httpfs",
            "CHECKPOINT",
            "SELECT 1; SELECT 2",
            "DROP TABLE mart.kpis; SELECT 1",
            "SELECT 1; DROP TABLE mart.kpis",
    })
    void refusesWhatIsNotOneReadOnlyQueryAndChangesNothing(String sql) throws Exception {
        assertThatThrownBy(() -> query.run(reader, sql))
                .isInstanceOf(QueryRefusedException.class)
                .hasMessageMatching("(only read-only queries are allowed|exactly one statement is allowed).*");
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT (SELECT count(*) FROM mart.kpis), (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'evil')")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows of mart.kpis").isEqualTo(1);
            assertThat(rs.getLong(2)).as("tables created").isZero();
        }
        assertThat(dir.resolve("out.csv")).doesNotExist();
    }

    @Test
    void aSelectCannotReadFiles() {
        assertThatThrownBy(() -> query.run(reader, "SELECT * FROM read_csv('" + dir.resolve("secret.csv") + "')"))
                .isInstanceOf(QueryRefusedException.class).hasMessageContaining("disabled");
        assertThatThrownBy(() -> query.run(reader, "SELECT * FROM '" + dir.resolve("secret.csv") + "'"))
                .isInstanceOf(QueryRefusedException.class).hasMessageContaining("disabled");
    }

    @Test
    void badSqlSaysWhy() {
        assertThatThrownBy(() -> query.run(reader, "SELEC 1")).isInstanceOf(QueryRefusedException.class)
                .hasMessageStartingWith("not valid SQL");
        assertThatThrownBy(() -> query.run(reader, "SELECT * FROM mart.nope")).isInstanceOf(QueryRefusedException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> query.run(reader, "  ")).isInstanceOf(QueryRefusedException.class)
                .hasMessage("no SQL given");
    }

    @Test
    void answersSelectsWithColumnsTypesAndExactValues() throws Exception {
        QueryResult r = query.run(reader, "SELECT orders, revenue FROM mart.kpis WHERE kpi_scope = 'all';");

        assertThat(r.columns()).containsExactly(new QueryResult.Column("orders", "BIGINT"),
                new QueryResult.Column("revenue", "DECIMAL(18,2)"));
        assertThat(r.rows()).hasSize(1);
        assertThat(r.rows().get(0).get(0).asLong()).isEqualTo(3);
        assertThat(r.rows().get(0).get(1).decimalValue()).isEqualByComparingTo("1234.50");
        assertThat(r.truncated()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "WITH k AS (SELECT * FROM mart.kpis) SELECT orders FROM k",
            "FROM mart.kpis SELECT orders",
            "DESCRIBE mart.kpis",
            "SHOW ALL TABLES",
            "SUMMARIZE mart.kpis",
            "select orders from mart.kpis -- a trailing comment",
    })
    void acceptsOtherReadOnlyForms(String sql) throws Exception {
        assertThat(query.run(reader, sql).rows()).isNotEmpty();
    }

    @Test
    void cutsOffAtTheRowLimitAndSaysSo() throws Exception {
        QueryResult r = query.run(reader, "SELECT d FROM mart.days ORDER BY d DESC");

        assertThat(r.rows()).extracting(row -> row.get(0).asLong()).containsExactly(9L, 8L, 7L);
        assertThat(r.truncated()).isTrue();
        assertThat(query.run(reader, "SELECT d FROM mart.days WHERE d < 3").truncated()).isFalse();
    }

    @Test
    void aSlowQueryIsCancelledAndTheWriterGoesOn() throws Exception {
        assertThatThrownBy(() -> query.run(reader,
                "SELECT count(*) FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = -1"))
                .isInstanceOf(QueryRefusedException.class).hasMessageContaining("cancelled after 2s");

        try (Statement s = writer.createStatement()) {
            s.execute("INSERT INTO mart.kpis VALUES ('other', 1, 1)");
        }
        assertThat(query.run(reader, "SELECT count(*) FROM mart.kpis").rows().get(0).get(0).asLong()).isEqualTo(2);
    }
}
