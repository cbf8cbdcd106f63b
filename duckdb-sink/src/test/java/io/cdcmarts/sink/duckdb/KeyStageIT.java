package io.cdcmarts.sink.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmarts.sink.batch.RowChange;
import io.cdcmarts.sink.batch.RowKey;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.cdcmarts.sink.testing.Rows.count;
import static org.assertj.core.api.Assertions.assertThat;

/** The key stage's DELETE on a real DuckDB file, as a table grows under it. */
class KeyStageIT {

    private static final TableSchema SHAPE = new TableSchema(new TableRef(TableRef.RAW, "order_items"),
            List.of(new TableSchema.Column("id", DuckType.BIGINT), new TableSchema.Column("quantity", DuckType.INTEGER)),
            List.of("id"));
    private static final int ROWS = 20_000;
    private static final int KEYS_PER_BATCH = 500;

    @TempDir
    Path dir;

    private DuckDBConnection connection;

    @BeforeEach
    void open() throws SQLException {
        connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("sink.duckdb"));
        connection.setAutoCommit(false);
        execute("CREATE SCHEMA raw");
        execute("CREATE TABLE raw.order_items (id BIGINT PRIMARY KEY, quantity INTEGER)");
        connection.commit();
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    /**
     * A sink started on a new file plans its first small batch's DELETE on an empty table. As the
     * table grows through the sink (keys deleted, then their rows added, a batch at a time), the
     * DELETE of a few keys must keep reading only those keys' rows, not build its join from every
     * row of the table as a plan made on the empty table does: DuckDB's profile of the statement
     * counts the rows each operator produced.
     */
    @Test
    void aDeleteFirstPlannedOnAnEmptyTableReadsOnlyItsKeysOnceTheTableHasGrown() throws Exception {
        try (KeyStage stage = KeyStage.create(connection, "stage__raw__order_items__keys", SHAPE)) {
            connection.commit();
            for (long first = 1; first <= ROWS; first += KEYS_PER_BATCH) {
                long last = first + KEYS_PER_BATCH - 1;
                stage.delete(connection, changes(first, last)); // the parameter path: at most PARAMETER_KEYS_MAX keys
                execute("INSERT INTO raw.order_items SELECT i, 1 FROM range(" + first + ", " + (last + 1) + ") t(i)");
                connection.commit();
            }
            Path profile = dir.resolve("delete-profile.json");
            execute("PRAGMA enable_profiling = 'json'");
            execute("PRAGMA profiling_output = '" + profile + "'");
            stage.delete(connection, changes(ROWS / 2, ROWS / 2 + 1));
            // Read before any other statement, the commit's too, writes its own profile over it
            JsonNode root = new ObjectMapper().readTree(Files.readString(profile));
            execute("PRAGMA disable_profiling");
            connection.commit();

            assertThat(root.path("query_name").asText()).startsWith("DELETE FROM");
            // A plan made on the empty table puts all 20,000 rows into the join's hash table (~20,008
            // rows in all); one built from the keys reads only their rows, the join's filter pushed
            // into the table scan (~10). Present, or a metric renamed would pass as zero.
            assertThat(root.has("cumulative_cardinality")).as("DuckDB's profile names cumulative_cardinality").isTrue();
            assertThat(root.path("cumulative_cardinality").asLong()).isBetween(2L, 99L);
            assertThat(count(connection, "raw.order_items")).isEqualTo(ROWS - 2);
        }
    }

    private static List<RowChange> changes(long first, long last) {
        List<RowChange> changes = new ArrayList<>();
        for (long id = first; id <= last; id++) {
            changes.add(new RowChange(new RowKey(id), new Object[]{id}, true, null));
        }
        return changes;
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }
}
