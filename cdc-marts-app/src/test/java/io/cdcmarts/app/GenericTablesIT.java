package io.cdcmarts.app;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.capture.CaptureService;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import io.cdcmarts.sink.SinkConfig;
import io.cdcmarts.sink.SinkService;
import io.cdcmarts.testing.Databases;
import io.cdcmarts.testing.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user's own tables, not the shop's (issue 9), through the real path: PostgreSQL 18 and 15 →
 * capture (Debezium) → Kafka → sink → DuckDB, without the processor. A "type torture" table gets the
 * values that used to be lost or dead-lettered (real/double with NaN and ±Infinity, intervals with
 * months, ±infinity timestamps and dates, the text of Debezium's default TOAST placeholder,
 * unconstrained numerics beyond DECIMAL(38, 10) and NaN, a constrained numeric) once in
 * the snapshot and once streamed; an unchanged TOASTed value survives an update, also one of the
 * primary key; arrays of every element type (1-D to 3-D, NULL elements, empty, NULL, updated to and
 * from NULL) arrive as DuckDB lists of that type; a TRUNCATE empties
 * the DuckDB table in order with the changes around it; rows untouched since a column was added with a
 * default hold it; rows untouched since {@code ALTER COLUMN … TYPE} hold PostgreSQL's converted values
 * (widened, narrowed, text to int, key columns too); a dropped table is dropped, and one made again
 * under its name holds its own columns, key and rows only; a dropped column stays; a renamed column's
 * values are under its new name in every row; a table created mid-run arrives whole. The same DDL
 * while capture is stopped is seen at its restart. A second table holds the everyday types (enums,
 * domains, network types, money, ranges, a composite type, xml, bits, tsvector, point, extreme
 * years) under a uuid key, with a table keyed by text and uuid; a value DuckDB cannot hold is a dead
 * letter that names its row.
 */
class GenericTablesIT {

    private static final Duration CONVERGENCE = Duration.ofMinutes(3);

    /** The torture table and the rows its snapshot holds; the streamed rows are the same with id + 100. */
    private static final String TABLE = """
            CREATE TABLE torture (id int PRIMARY KEY, r real, d double precision, iv interval, ts timestamp,
                                  tstz timestamptz, dt date, t text, n numeric, nc numeric(12, 4));
            """;
    private static final String ROWS = """
            INSERT INTO torture VALUES
              (1 + %1$d, 1.5, 'NaN', '1 mon 2 days 03:04:05.678', 'infinity', '-infinity', 'infinity', '__debezium_unavailable_value', 1e-20, 3.2501),
              (2 + %1$d, '-Infinity', 2.25, '-1 year -2 days +00:00:01', '-infinity', 'infinity', '-infinity', 'plain', 123456789012345678901234567890.123, -99999999.9999),
              (3 + %1$d, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              (4 + %1$d, 'Infinity', '-Infinity', '0', '2024-02-29 12:34:56.789012', '2024-02-29 12:34:56.789012+02', '2024-02-29', '', 'NaN', 0)
            """;
    /** {@code id % 100, r, d, iv, ts, tstz (as UTC), dt, t, n, nc} as DuckDB shows them, for both copies of the rows. */
    private static final List<String> EXPECTED = List.of(
            "1|1.5|nan|1 month 2 days 03:04:05.678|infinity|-infinity|infinity|__debezium_unavailable_value|0.00000000000000000001|3.2501",
            "2|-inf|2.25|-1 year -2 days 00:00:01|-infinity|infinity|-infinity|plain|123456789012345678901234567890.123|-99999999.9999",
            "3|null|null|null|null|null|null|null|null|null",
            "4|inf|-inf|00:00:00|2024-02-29 12:34:56.789012|2024-02-29 10:34:56.789012|2024-02-29||NaN|0.0000");

    /** Arrays of each element type, 1-D to 3-D, with NULL elements, empty and NULL arrays; streamed copies at id + 100. */
    private static final String ARRAYS = """
            CREATE TABLE arrays (id int PRIMARY KEY, i int[], i2 int[][], i3 int[][][], bi bigint[], sm smallint[], f float8[],
                                 r real[], n numeric[], t text[], b bool[], u uuid[], d date[], ts timestamp[],
                                 tz timestamptz[], bt bytea[], j jsonb[], t2 text[][])
            """;
    private static final String ARRAY_ROWS = """
            INSERT INTO arrays VALUES
              (1 + %1$d, '{1,NULL,3}', '{{1,2},{3,4}}', '{{{1,2}},{{3,NULL}}}', '{9223372036854775807,-1}', '{-32768}',
               '{1.5,NaN,-Infinity}', '{0.25,Infinity}', '{0.00000000000000000001,NaN,123456789012345678901234567890.123}',
               '{"a,b","NULL",NULL,"q\\"uote","back\\\\slash",""," padded "}', '{t,f,NULL}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}',
               '{2024-02-29,infinity,-infinity}', '{"2024-02-29 12:34:56.789012",-infinity}', '{"2024-02-29 12:34:56.789012+02",infinity}',
               '{"\\\\x00ff",NULL}', ARRAY['{"k": [1, 2]}'::jsonb, 'null'::jsonb], '{{a,b},{c,NULL}}'),
              (2 + %1$d, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}'),
              (3 + %1$d, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
            """;
    /** Each column of a row of ARRAY_ROWS compared with the DuckDB list it must be (true when equal, NULLs included). */
    private static final String ARRAY_CHECK = """
            SELECT id,
              i IS NOT DISTINCT FROM %s, i2 IS NOT DISTINCT FROM %s, i3 IS NOT DISTINCT FROM %s, bi IS NOT DISTINCT FROM %s,
              sm IS NOT DISTINCT FROM %s, f IS NOT DISTINCT FROM %s, r IS NOT DISTINCT FROM %s, n IS NOT DISTINCT FROM %s,
              t IS NOT DISTINCT FROM %s, b IS NOT DISTINCT FROM %s, u IS NOT DISTINCT FROM %s, d IS NOT DISTINCT FROM %s,
              ts IS NOT DISTINCT FROM %s, tz IS NOT DISTINCT FROM %s, bt IS NOT DISTINCT FROM %s, j IS NOT DISTINCT FROM %s,
              t2 IS NOT DISTINCT FROM %s
            FROM raw.arrays WHERE id IN (%18$d, 100 + %18$d) ORDER BY id
            """;
    private static final String[] FULL_ARRAYS = {"[1, NULL, 3]::INTEGER[]", "[[1, 2], [3, 4]]::INTEGER[][]", "[[[1, 2]], [[3, NULL]]]::INTEGER[][][]",
            "[9223372036854775807, -1]::BIGINT[]", "[-32768]::SMALLINT[]", "['1.5', 'nan', '-inf']::DOUBLE[]", "['0.25', 'inf']::FLOAT[]",
            "['0.00000000000000000001', 'NaN', '123456789012345678901234567890.123']::VARCHAR[]",
            "['a,b', 'NULL', NULL, 'q\"uote', 'back\\slash', '', ' padded ']::VARCHAR[]", "[true, false, NULL]::BOOLEAN[]",
            "['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', NULL]::UUID[]", "['2024-02-29', 'infinity', '-infinity']::DATE[]",
            "['2024-02-29 12:34:56.789012', '-infinity']::TIMESTAMP[]", "['2024-02-29 10:34:56.789012+00', 'infinity']::TIMESTAMPTZ[]",
            "['\\x00\\xFF'::BLOB, NULL]", "['{\"k\": [1, 2]}', 'null']::JSON[]", "[['a', 'b'], ['c', NULL]]::VARCHAR[][]"};
    private static final String ARRAY_TYPES = "INTEGER[]|INTEGER[][]|INTEGER[][][]|BIGINT[]|SMALLINT[]|DOUBLE[]|FLOAT[]|VARCHAR[]|VARCHAR[]"
            + "|BOOLEAN[]|UUID[]|DATE[]|TIMESTAMP[]|TIMESTAMP WITH TIME ZONE[]|BLOB[]|JSON[]|VARCHAR[][]";

    /**
     * Columns whose type changes once rows are downstream (widening, narrowing, text to int); key
     * columns of another table whose values PostgreSQL rewrites (1.2345 becomes 1.23, '0042' 42).
     */
    private static final String RETYPED = """
            CREATE TABLE retyped (id int PRIMARY KEY, i int, n numeric(10, 2), w numeric(12, 4), t text, r real, v varchar(5));
            INSERT INTO retyped VALUES (1, 2147483647, 3.25, 3.2501, '0042', 1.5, 'abc'), (2, -1, NULL, 1.005, '-7', 0.1, NULL);
            CREATE TABLE rekeyed (k numeric(12, 4), code text, v text, PRIMARY KEY (k, code));
            INSERT INTO rekeyed VALUES (1.2345, '0042', 'a'), (2.0001, '7', 'b')
            """;
    /** Tables dropped once their rows are downstream, one of them created again with other columns and key. */
    private static final String DROPPED = """
            CREATE TABLE dropped (id int PRIMARY KEY, v text);
            INSERT INTO dropped VALUES (1, 'old'), (2, 'old');
            CREATE TABLE recreated (id int PRIMARY KEY, v text);
            INSERT INTO recreated VALUES (1, 'old'), (2, 'old');
            CREATE TABLE moved (id int PRIMARY KEY, v text);
            INSERT INTO moved VALUES (1, 'moved'), (2, 'moved')
            """;
    private static final String DROP = """
            DROP TABLE dropped;
            DROP TABLE recreated;
            CREATE TABLE recreated (code text PRIMARY KEY, n bigint);
            INSERT INTO recreated VALUES ('new', 5);
            ALTER TABLE moved RENAME TO moved_to
            """;
    /** A column dropped, a column renamed once their tables' rows are downstream. */
    private static final String COLUMNS = """
            CREATE TABLE dropcol (id int PRIMARY KEY, v text, gone text);
            INSERT INTO dropcol VALUES (1, 'a', 'x'), (2, 'b', 'y');
            CREATE TABLE renamed (id int PRIMARY KEY, old_name text, v int);
            INSERT INTO renamed VALUES (1, 'a', 1), (2, 'b', 2)
            """;
    private static final String ALTER_COLUMNS = """
            ALTER TABLE dropcol DROP COLUMN gone;
            INSERT INTO dropcol VALUES (3, 'after');
            ALTER TABLE renamed RENAME COLUMN old_name TO new_name;
            INSERT INTO renamed VALUES (3, 'after', 3);
            CREATE TABLE created (id int PRIMARY KEY, v text);
            INSERT INTO created VALUES (1, 'before it is published')
            """;
    private static final String RETYPE = """
            ALTER TABLE retyped ALTER COLUMN i TYPE bigint, ALTER COLUMN n TYPE numeric(12, 4), ALTER COLUMN w TYPE numeric(10, 2),
                ALTER COLUMN t TYPE int USING t::int, ALTER COLUMN r TYPE double precision, ALTER COLUMN v TYPE text;
            INSERT INTO retyped VALUES (4, 5000000000, 12345678.1234, 2.5, 99, 1e300, 'longer than five');
            ALTER TABLE rekeyed ALTER COLUMN k TYPE numeric(10, 2), ALTER COLUMN code TYPE int USING code::int
            """;
    /**
     * {@code id, i, n, w, t, r, v} of retyped at the source after RETYPE: w rounded, t parsed (row 3
     * is streamed before the ALTER, row 4 after it).
     */
    private static final List<String> RETYPED_AT_SOURCE = List.of(
            "1|2147483647|3.2500|3.25|42|1.5|abc", "2|-1|null|1.01|-7|0.10000000149011612|null",
            "3|0|99999999.9900|0.00|12|-2.5|xyz", "4|5000000000|12345678.1234|2.50|99|1e+300|longer than five");
    /**
     * The same in DuckDB: the columns' types hold the old values and the new (w stays DECIMAL(12,4),
     * t VARCHAR holding the number's text), the values are PostgreSQL's.
     */
    private static final List<String> RETYPED_IN_DUCKDB = List.of(
            "1|2147483647|3.2500|3.2500|42|1.5|abc", "2|-1|null|1.0100|-7|0.10000000149011612|null",
            "3|0|99999999.9900|0.0000|12|-2.5|xyz", "4|5000000000|12345678.1234|2.5000|99|1e+300|longer than five");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {18, 15})
    void everyTypeArrivesExactInSnapshotAndStream(int version) throws Exception {
        // Given a table of the awkward types, filled before capture starts (the snapshot)
        PgDsn dsn = Databases.create(server(version), "generic_tables_" + version);
        sql(dsn, TABLE + ";" + ROWS.formatted(0)
                + "; CREATE TABLE toasty (id int PRIMARY KEY, big text, small int, nums int[])"
                + "; CREATE TABLE emptied (id int PRIMARY KEY, v text)"
                + "; INSERT INTO emptied VALUES (1, 'before'), (2, 'before')"
                + "; CREATE TABLE defaults (id int PRIMARY KEY, v text)"
                + "; INSERT INTO defaults VALUES (1, 'snapshot')"
                + ";" + ARRAYS + ";" + ARRAY_ROWS.formatted(0)
                + ";" + RETYPED + ";" + DROPPED + ";" + COLUMNS);
        KafkaSettings kafka = kafka("generic" + version);
        try (CaptureService capture = started(capture(dsn, kafka)); SinkService sink = started(sink(kafka, "generic.duckdb"))) {

            // When the same rows are streamed, a large value is left untouched by an update, and a
            // table is truncated between changes
            sql(dsn, ROWS.formatted(100)
                    // Not compressible below the TOAST threshold: stored out of line.
                    + "; INSERT INTO toasty SELECT 1, string_agg(md5(g::text), ''), 1, array_agg(hashtext(g::text)) FROM generate_series(1, 4000) g"
                    + "; UPDATE toasty SET small = 2 WHERE id = 1"
                    + "; INSERT INTO toasty SELECT 6, big, 6, nums FROM toasty WHERE id = 1"
                    + "; UPDATE toasty SET id = 16 WHERE id = 6"
                    + "; INSERT INTO emptied VALUES (3, 'before')"
                    + "; TRUNCATE emptied"
                    + "; INSERT INTO emptied VALUES (4, 'after')"
                    + "; INSERT INTO defaults VALUES (2, 'streamed')"
                    + ";" + ARRAY_ROWS.formatted(100)
                    // to and from NULL, and a 2-D value of other lengths
                    + "; INSERT INTO arrays (id, i, i2) VALUES (201, '{5}', '{{1}}'), (202, NULL, NULL)"
                    + "; UPDATE arrays SET i = NULL, i2 = '{{5,6,7}}' WHERE id = 201"
                    + "; UPDATE arrays SET i = '{7,NULL}', i2 = '{{1},{2}}' WHERE id = 202"
                    + "; INSERT INTO retyped VALUES (3, 0, 99999999.99, -0.00005, '12', -2.5, 'xyz')");
            // and a column is added with a default once those rows are downstream: PostgreSQL logs
            // nothing for the rows that hold it from now on
            await().atMost(CONVERGENCE).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsMatching(e -> e instanceof SQLException && e.getMessage().contains("does not exist"))
                    .untilAsserted(() -> {
                        try (Connection duck = sink.openReader()) {
                            assertThat(rows(duck, "SELECT count(*) FROM raw.defaults")).containsExactly("2");
                            assertThat(rows(duck, "SELECT count(*) FROM raw.retyped")).containsExactly("3");
                            assertThat(rows(duck, "SELECT count(*) FROM raw.rekeyed")).containsExactly("2");
                            assertThat(rows(duck, "SELECT count(*) FROM raw.dropped")).containsExactly("2");
                            assertThat(rows(duck, "SELECT count(*) FROM raw.recreated")).containsExactly("2");
                            assertThat(rows(duck, "SELECT count(*) FROM raw.moved")).containsExactly("2");
                            assertThat(rows(duck, "SELECT count(*) FROM raw.dropcol")).containsExactly("2");
                            assertThat(rows(duck, "SELECT count(*) FROM raw.renamed")).containsExactly("2");
                        }
                    });
            sql(dsn, "ALTER TABLE defaults ADD COLUMN answer int DEFAULT 42; INSERT INTO defaults VALUES (3, 'after', 7)");
            // and columns change their type: PostgreSQL rewrites every row without logging a change
            sql(dsn, RETYPE);
            assertThat(rows(dsn, "SELECT id, i, n, w, t, r, v FROM retyped ORDER BY id")).as("retyped at the source")
                    .containsExactlyElementsOf(RETYPED_AT_SOURCE);
            // and tables are dropped, one made again under its name: PostgreSQL logs nothing for either
            sql(dsn, DROP);
            // and a column is dropped, one renamed, a table created (rows written before capture publishes it)
            sql(dsn, ALTER_COLUMNS);

            // (an int[] too large to stay in line: 4000 hashes, not compressible)
            String numsSum = query(dsn, "SELECT sum(x) FROM toasty, unnest(nums) x WHERE id = 1");
            // Then DuckDB holds every value exactly, on both paths
            await().atMost(CONVERGENCE).pollInterval(Duration.ofSeconds(1))
                    // The tables appear with their first batch, added columns with the first batch of the new schema.
                    .ignoreExceptionsMatching(e -> e instanceof SQLException
                            && (e.getMessage().contains("does not exist") || e.getMessage().contains("not found in FROM clause")))
                    .untilAsserted(() -> {
                try (Connection duck = sink.openReader()) {
                    List<String> rows = rows(duck, "SELECT id, r::VARCHAR, d::VARCHAR, iv::VARCHAR, ts::VARCHAR, timezone('UTC', tstz)::VARCHAR, dt::VARCHAR, t, n, nc::VARCHAR FROM raw.torture ORDER BY id");
                    List<String> expected = new ArrayList<>(EXPECTED);
                    for (String e : EXPECTED) {
                        expected.add((100 + Integer.parseInt(e.substring(0, 1))) + e.substring(1));
                    }
                    assertThat(rows).as("raw.torture").containsExactlyElementsOf(expected);
                    assertThat(rows(duck, "SELECT id, small, length(big), big = (SELECT string_agg(md5(g::text), '') FROM range(1, 4001) t(g)), "
                            + "len(nums), list_sum(nums) FROM raw.toasty ORDER BY id")).as("raw.toasty")
                            .containsExactly("1|2|128000|true|4000|" + numsSum, "16|6|128000|true|4000|" + numsSum);
                    assertThat(rows(duck, "SELECT id, v FROM raw.emptied ORDER BY id")).as("raw.emptied").containsExactly("4|after");
                    assertThat(rows(duck, "SELECT id, v, answer FROM raw.defaults ORDER BY id")).as("raw.defaults")
                            .containsExactly("1|snapshot|42", "2|streamed|42", "3|after|7");
                    assertThat(rows(duck, "SELECT id, i, n, w, t, r::VARCHAR, v FROM raw.retyped ORDER BY id")).as("raw.retyped")
                            .containsExactlyElementsOf(RETYPED_IN_DUCKDB);
                    assertThat(rows(duck, "SELECT typeof(i), typeof(n), typeof(w), typeof(t), typeof(r), typeof(v) FROM raw.retyped LIMIT 1"))
                            .containsExactly("BIGINT|DECIMAL(12,4)|DECIMAL(12,4)|VARCHAR|DOUBLE|VARCHAR");
                    // no row left under its old key beside the re-sent one
                    assertThat(rows(duck, "SELECT k, code, v, typeof(k), typeof(code) FROM raw.rekeyed ORDER BY k"))
                            .as("raw.rekeyed").containsExactly("1.23|42|a|DECIMAL(10,2)|INTEGER", "2.00|7|b|DECIMAL(10,2)|INTEGER");
                    assertThat(rows(duck, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = 'dropped'"))
                            .as("raw.dropped is dropped").containsExactly("0");
                    assertThat(rows(duck, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = 'recreated'"
                            + " AND NOT starts_with(column_name, '_') ORDER BY ordinal_position")).as("raw.recreated, the new table's columns only")
                            .containsExactly("code", "n");
                    assertThat(rows(duck, "SELECT code, n FROM raw.recreated")).as("raw.recreated, none of the old rows").containsExactly("new|5");
                    assertThat(rows(duck, "SELECT key_columns FROM _cdc.table_keys WHERE table_name = 'recreated'")).containsExactly("[code]");
                    // ALTER TABLE … RENAME TO: gone under the old name, whole under the new one
                    assertThat(rows(duck, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = 'moved'"))
                            .as("raw.moved is dropped").containsExactly("0");
                    assertThat(rows(duck, "SELECT id, v FROM raw.moved_to ORDER BY id")).as("raw.moved_to").containsExactly("1|moved", "2|moved");
                    // DROP COLUMN: the column stays, untouched rows keep their value, rows written since hold NULL
                    assertThat(rows(duck, "SELECT id, v, gone FROM raw.dropcol ORDER BY id")).as("raw.dropcol")
                            .containsExactly("1|a|x", "2|b|y", "3|after|null");
                    // RENAME COLUMN: every row holds its value under the new name (the table is sent again),
                    // the old name's column is NULL in every row, as a dropped column is in rows written since
                    assertThat(rows(duck, "SELECT id, new_name, v, old_name FROM raw.renamed ORDER BY id")).as("raw.renamed")
                            .containsExactly("1|a|1|null", "2|b|2|null", "3|after|3|null");
                    assertThat(rows(duck, "SELECT id, v FROM raw.created ORDER BY id")).as("raw.created, created mid-run")
                            .containsExactly("1|before it is published");
                    assertThat(rows(duck, "SELECT typeof(r), typeof(d), typeof(iv), typeof(ts), typeof(dt), typeof(n), typeof(nc) FROM raw.torture LIMIT 1"))
                            .containsExactly("FLOAT|DOUBLE|INTERVAL|TIMESTAMP|DATE|VARCHAR|DECIMAL(12,4)");
                    String all = "|true".repeat(FULL_ARRAYS.length);
                    assertThat(rows(duck, ARRAY_CHECK.formatted(concat(FULL_ARRAYS, 1)))).as("raw.arrays, every element type")
                            .containsExactly("1" + all, "101" + all);
                    String[] empty = ARRAY_TYPES.split("\\|");
                    for (int i = 0; i < empty.length; i++) {
                        empty[i] = "[]::" + empty[i];
                    }
                    assertThat(rows(duck, ARRAY_CHECK.formatted(concat(empty, 2)))).as("raw.arrays, empty").containsExactly("2" + all, "102" + all);
                    assertThat(rows(duck, ARRAY_CHECK.formatted(concat(new String[FULL_ARRAYS.length], 3))))
                            .as("raw.arrays, NULL").containsExactly("3" + all, "103" + all);
                    assertThat(rows(duck, "SELECT id, i::VARCHAR, i2::VARCHAR FROM raw.arrays WHERE id > 200 ORDER BY id"))
                            .as("raw.arrays, updated to and from NULL").containsExactly("201|null|[[5, 6, 7]]", "202|[7, NULL]|[[1], [2]]");
                    assertThat(rows(duck, "SELECT typeof(i), typeof(i2), typeof(i3), typeof(bi), typeof(sm), typeof(f), typeof(r), typeof(n), typeof(t), "
                            + "typeof(b), typeof(u), typeof(d), typeof(ts), typeof(tz), typeof(bt), typeof(j), typeof(t2) FROM raw.arrays LIMIT 1"))
                            .containsExactly(ARRAY_TYPES);
                    assertThat(rows(duck, "SELECT count(*) FROM quality.dead_letters")).as("dead letters").containsExactly("0");
                }
            });
        }
    }

    /** Tables whose copies are downstream before capture stops. */
    private static final String BEFORE_STOP = """
            CREATE TABLE gone (id int PRIMARY KEY, v text);
            INSERT INTO gone VALUES (1, 'old'), (2, 'old');
            CREATE TABLE again (id int PRIMARY KEY, v text);
            INSERT INTO again VALUES (1, 'old'), (2, 'old');
            CREATE TABLE away (id int PRIMARY KEY, v text);
            INSERT INTO away VALUES (1, 'moved'), (2, 'moved');
            CREATE TABLE kept (id int PRIMARY KEY, v text);
            INSERT INTO kept VALUES (1, 'kept')
            """;
    /** While capture is stopped: changes of the old tables still in the slot, then the DDL. */
    private static final String WHILE_STOPPED = """
            UPDATE gone SET v = 'late';
            UPDATE again SET v = 'late';
            INSERT INTO again VALUES (3, 'late');
            DROP TABLE gone;
            DROP TABLE again;
            CREATE TABLE again (code text PRIMARY KEY, n bigint);
            INSERT INTO again VALUES ('new', 5);
            ALTER TABLE away RENAME TO arrived;
            INSERT INTO kept VALUES (2, 'while stopped')
            """;

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {18, 15})
    void tablesDroppedWhileCaptureIsStoppedAreDroppedDownstreamAtItsRestart(int version) throws Exception {
        // Given tables whose rows are downstream
        PgDsn dsn = Databases.create(server(version), "stopped_drops_" + version);
        sql(dsn, BEFORE_STOP);
        KafkaSettings kafka = kafka("stopped" + version);
        try (SinkService sink = sink(kafka, "stopped.duckdb")) {
            sink.start();
            try (CaptureService capture = capture(dsn, kafka)) {
                capture.start();
                await().atMost(CONVERGENCE).pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptionsMatching(e -> e instanceof SQLException && e.getMessage().contains("does not exist"))
                        .untilAsserted(() -> {
                            try (Connection duck = sink.openReader()) {
                                for (String table : List.of("gone", "again", "away")) {
                                    assertThat(rows(duck, "SELECT count(*) FROM raw." + table)).as(table).containsExactly("2");
                                }
                                assertThat(rows(duck, "SELECT count(*) FROM raw.kept")).containsExactly("1");
                            }
                        });
            }

            // When, with capture stopped, the old tables change, then one is dropped, one dropped and
            // created again with another key and columns, one renamed
            sql(dsn, WHILE_STOPPED);
            try (CaptureService capture = capture(dsn, kafka)) {
                capture.start();

                // Then once capture runs again DuckDB holds what PostgreSQL holds: no copy of a table that
                // is gone, the new table's columns, key and rows only, the renamed table under its new name
                await().atMost(CONVERGENCE).pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptionsMatching(e -> e instanceof SQLException
                                && (e.getMessage().contains("does not exist") || e.getMessage().contains("not found in FROM clause")))
                        .untilAsserted(() -> {
                            try (Connection duck = sink.openReader()) {
                                assertThat(rows(duck, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' ORDER BY 1"))
                                        .as("raw tables").containsExactly("again", "arrived", "kept");
                                assertThat(rows(duck, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw'"
                                        + " AND table_name = 'again' AND NOT starts_with(column_name, '_') ORDER BY ordinal_position"))
                                        .as("raw.again, the new table's columns only").containsExactly("code", "n");
                                assertThat(rows(duck, "SELECT code, n FROM raw.again")).as("raw.again").containsExactly("new|5");
                                assertThat(rows(duck, "SELECT key_columns FROM _cdc.table_keys WHERE table_name = 'again'")).containsExactly("[code]");
                                assertThat(rows(duck, "SELECT id, v FROM raw.arrived ORDER BY id")).as("raw.arrived").containsExactly("1|moved", "2|moved");
                                assertThat(rows(duck, "SELECT id, v FROM raw.kept ORDER BY id")).as("raw.kept").containsExactly("1|kept", "2|while stopped");
                            }
                        });
            }

            // And a third start, with nothing changed meanwhile, keeps them; the tables go on being captured
            try (CaptureService capture = capture(dsn, kafka)) {
                capture.start();
                sql(dsn, "INSERT INTO again VALUES ('newer', 6); INSERT INTO arrived VALUES (3, 'after')");
                await().atMost(CONVERGENCE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    try (Connection duck = sink.openReader()) {
                        assertThat(rows(duck, "SELECT code, n FROM raw.again ORDER BY code")).containsExactly("new|5", "newer|6");
                        assertThat(rows(duck, "SELECT id, v FROM raw.arrived ORDER BY id")).containsExactly("1|moved", "2|moved", "3|after");
                    }
                });
                try (Connection duck = sink.openReader()) {
                    assertThat(rows(duck, "SELECT count(*) FROM quality.dead_letters")).as("dead letters").containsExactly("0");
                }
            }
        }
    }

    /**
     * Everyday types not in the torture table (enums, domains, network types, money, ranges, a
     * composite type, xml, bits, the extreme years of timestamp, timestamptz and date) under a uuid
     * key, and a table keyed by text and uuid (an empty text among the keys).
     */
    private static final String EVERYDAY = """
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE DOMAIN posint AS int CHECK (VALUE > 0);
            CREATE DOMAIN email AS text;
            CREATE DOMAIN price AS numeric(10, 2);
            CREATE TYPE pair AS (a int, b text);
            CREATE TABLE everyday (id uuid PRIMARY KEY, sm smallint, bi bigint, b bool, c char(5), vc varchar(10), byt bytea,
                                   j json, jb jsonb, tm time, ttz timetz, ts timestamp, tstz timestamptz, dt date,
                                   e mood, dp posint, de email, dn price, ip inet, cn cidr, mac macaddr, mac8 macaddr8, m money,
                                   r4 int4range, r8 int8range, nr numrange, tsr tsrange, tzr tstzrange, dr daterange,
                                   comp pair, x xml, bt bit(4), vb varbit, ea mood[], tv tsvector, pt point,
                                   ta time[], tza timetz[], iva interval[], ipa inet[]);
            CREATE TABLE text_keyed (code text, u uuid, v int, PRIMARY KEY (code, u))
            """;
    private static final String EVERYDAY_ROWS = """
            INSERT INTO everyday VALUES
              ('00000000-0000-0000-0000-0000000000%1$02d', -32768, 9223372036854775807, true, 'ab', 'x y', '\\x00ff10',
               '{"a": [1, 2.50]}', '{"b": null, "a": 1}', '23:59:59.999999', '12:34:56.789+05:30',
               '4713-01-01 00:00:00 BC', '294246-12-31 23:59:59.999999+00', '5874897-12-31',
               'happy', 7, 'a@b.c', 12345678.90, '192.168.1.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', -1234.56,
               '[1,10)', '(,5]', '[0.5,1.25]', '["2024-01-01 00:00","2024-02-01 00:00")', '[2024-01-01 00:00+00,)', 'empty',
               ROW(1, 'one, "quoted"'), '<a x="1">t</a>', B'1010', B'10110', '{sad,happy}', 'b:2 a:1', '(1.5,2)',
               '{23:59:59.999999,00:00:00}', '{12:00:00+05:30,NULL}', '{"1 mon 2 days",-00:00:01}', '{10.0.0.1,::1/128}'),
              ('00000000-0000-0000-0000-0000000001%1$02d', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            INSERT INTO text_keyed VALUES ('k%1$d', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 1), ('', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd3800%1$02d', 2)
            """;

    /** The columns of raw.everyday as text; ts and tstz as microseconds since the epoch (DuckDB's text of such years is off by its calendar). */
    private static final String EVERYDAY_COLUMNS = "id, sm, bi, b, c, vc, byt, j, jb, tm, ttz, epoch_us(ts), epoch_us(tstz), dt, e, dp, de, dn,"
            + " ip, cn, mac, mac8, m, r4, r8, nr, tsr, tzr, dr, comp, x, bt, vb, ea, tv, pt, ta, tza, iva, ipa";
    /** A full row of EVERYDAY_ROWS in DuckDB, after its id and before its ts, then between tstz and the end. */
    private static final String EVERYDAY_HEAD = "-32768|9223372036854775807|true|ab   |x y|\\x00\\xFF\\x10|{\"a\": [1, 2.50]}|{\"a\": 1, \"b\": null}"
            + "|23:59:59.999999|07:04:56.789+00";
    private static final String EVERYDAY_TAIL = "5874897-12-31|happy|7|a@b.c|12345678.90|192.168.1.1/24|10.0.0.0/8|08:00:2b:01:02:03"
            + "|08:00:2b:01:02:03:04:05|-1234.5600000000|[1,10)|(,6)|[0.5,1.25]|[\"2024-01-01 00:00:00\",\"2024-02-01 00:00:00\")"
            + "|[\"2024-01-01 00:00:00+00\",)|empty|(1,\"one, \"\"quoted\"\"\")|<a x=\"1\">t</a>|\\x0A|\\x16|[sad, happy]|'a':1 'b':2"
            + "|{\"x\":1.5,\"y\":2.0,\"wkb\":\"AQEAAAAAAAAAAAD4PwAAAAAAAABA\",\"srid\":null}"
            // DuckDB's text of a list quotes the elements that hold a ':'
            + "|['23:59:59.999999', '00:00:00']|['12:00:00+05:30', NULL]|[1 mon 2 days, '-00:00:01']|[10.0.0.1, '::1']";
    private static final String EVERYDAY_TYPES = "UUID|SMALLINT|BIGINT|BOOLEAN|VARCHAR|VARCHAR|BLOB|JSON|JSON|TIME|TIME WITH TIME ZONE|TIMESTAMP"
            + "|TIMESTAMP WITH TIME ZONE|DATE|VARCHAR|INTEGER|VARCHAR|DECIMAL(10,2)|VARCHAR|VARCHAR|VARCHAR|VARCHAR|DECIMAL(38,10)"
            + "|VARCHAR|VARCHAR|VARCHAR|VARCHAR|VARCHAR|VARCHAR|VARCHAR|VARCHAR|BLOB|BLOB|VARCHAR[]|VARCHAR|JSON|TIME[]|TIME WITH TIME ZONE[]|VARCHAR[]|VARCHAR[]";

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {18, 15})
    void everydayTypesAndKeysArriveExactInSnapshotAndStream(int version) throws Exception {
        // Given a table of the everyday types not in the torture table (enums, domains, network types,
        // money, ranges, a composite type, xml, bits, extreme years) under a uuid key, and a table
        // keyed by text and uuid, filled before capture starts (the snapshot)
        PgDsn dsn = Databases.create(server(version), "everyday_types_" + version);
        sql(dsn, EVERYDAY + ";" + EVERYDAY_ROWS.formatted(1));
        KafkaSettings kafka = kafka("everyday" + version);
        try (CaptureService capture = started(capture(dsn, kafka)); SinkService sink = started(sink(kafka, "everyday.duckdb"))) {

            // When the same rows are streamed, keys change, and the NULL row is updated to values
            sql(dsn, EVERYDAY_ROWS.formatted(2)
                    + "; UPDATE everyday SET id = '00000000-0000-0000-0000-000000000099' WHERE id = '00000000-0000-0000-0000-000000000002'"
                    + "; UPDATE everyday SET e = 'sad', comp = ROW(2, NULL), m = 0.01, r4 = '[2,3]' WHERE id = '00000000-0000-0000-0000-000000000102'"
                    + "; UPDATE text_keyed SET code = 'k3' WHERE code = 'k2'"
                    // a value DuckDB's column cannot hold (PostgreSQL does not enforce an array's dimensions)
                    + "; UPDATE everyday SET ea = '{{sad},{ok}}' WHERE id = '00000000-0000-0000-0000-000000000101'");
            List<String> epochs = rows(dsn, "SELECT (extract(epoch FROM ts) * 1000000)::bigint, (extract(epoch FROM tstz) * 1000000)::bigint"
                    + " FROM everyday WHERE id = '00000000-0000-0000-0000-000000000001'");
            String full = EVERYDAY_HEAD + "|" + epochs.get(0) + "|" + EVERYDAY_TAIL;
            String nulls = "|null".repeat(EVERYDAY_TYPES.split("\\|").length - 1);

            // Then DuckDB holds every value exactly, on both paths, under the keys PostgreSQL has
            await().atMost(CONVERGENCE).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsMatching(e -> e instanceof SQLException && e.getMessage().contains("does not exist"))
                    .untilAsserted(() -> {
                        try (Connection duck = sink.openReader()) {
                            assertThat(rows(duck, "SELECT " + asText(EVERYDAY_COLUMNS) + " FROM raw.everyday ORDER BY id")).as("raw.everyday")
                                    .containsExactly("00000000-0000-0000-0000-000000000001|" + full, "00000000-0000-0000-0000-000000000099|" + full,
                                            "00000000-0000-0000-0000-000000000101" + nulls,
                                            "00000000-0000-0000-0000-000000000102" + "|null".repeat(13) + "|sad" + "|null".repeat(7)
                                                    + "|0.0100000000|[2,4)" + "|null".repeat(5) + "|(2,)" + "|null".repeat(10));
                            // the row that change was for stays as it was, and the dead letter names it
                            assertThat(rows(duck, "SELECT \"table\", key->>'id', reported_by, checks FROM quality.dead_letters"))
                                    .as("dead letters").containsExactly("everyday|00000000-0000-0000-0000-000000000101|sink|[malformed]");
                            assertThat(rows(duck, "SELECT code, u, v FROM raw.text_keyed ORDER BY code, u")).as("raw.text_keyed").containsExactly(
                                    "|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380001|2", "|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380002|2",
                                    "k1|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|1", "k3|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|1");
                        }
                    });
            try (Connection duck = sink.openReader()) {
                assertThat(rows(duck, "SELECT string_agg(data_type, '|' ORDER BY ordinal_position) FROM information_schema.columns"
                        + " WHERE table_schema = 'raw' AND table_name = 'everyday' AND NOT starts_with(column_name, '_')"))
                        .containsExactly(EVERYDAY_TYPES);
            }
        }
    }

    /** Capture of the whole schema, heartbeats every second; a registry of its own (a restart registers its meters again). */
    private static CaptureService capture(PgDsn dsn, KafkaSettings kafka) {
        return new CaptureService(CaptureConfig.builder(dsn, kafka).heartbeatInterval(Duration.ofSeconds(1)).build(), new SimpleMeterRegistry());
    }

    private static CaptureService started(CaptureService capture) {
        capture.start();
        return capture;
    }

    private static SinkService started(SinkService sink) {
        sink.start();
        return sink;
    }

    /** The test's own topic prefix (also its slot and publication) on the shared broker. */
    private static KafkaSettings kafka(String prefix) {
        return KafkaSettings.of(SharedInfra.get().kafkaBootstrap(), prefix);
    }

    private SinkService sink(KafkaSettings kafka, String file) {
        return new SinkService(SinkConfig.builder(kafka).duckdbPath(dir.resolve(file)).build(), new SimpleMeterRegistry());
    }

    /** Each of the comma-separated columns as DuckDB's text. */
    private static String asText(String columns) {
        return String.join(", ", java.util.Arrays.stream(columns.split(", ")).map(c -> c + "::VARCHAR").toList());
    }

    /** The expected lists, then the row (its snapshot id; the streamed one is 100 more) they are for, as ARRAY_CHECK's arguments. */
    private static Object[] concat(String[] lists, int row) {
        Object[] args = new Object[lists.length + 1];
        for (int i = 0; i < lists.length; i++) {
            args[i] = lists[i] == null ? "NULL" : lists[i];
        }
        args[lists.length] = row;
        return args;
    }

    private static PgDsn server(int version) {
        if (version == 18) {
            return SharedInfra.get().postgres();
        }
        return SharedInfra.postgresFrom(Path.of(System.getProperty("cdc.test.pg15.binaries"))).dsn();
    }

    private static void sql(PgDsn dsn, String script) throws SQLException {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties()); Statement st = c.createStatement()) {
            for (String s : script.split(";")) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }

    /** The first column of the query's first row at the source. */
    private static String query(PgDsn dsn, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** {@link #rows(Connection, String)} at the source. */
    private static List<String> rows(PgDsn dsn, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(dsn.jdbcUrl(), dsn.jdbcProperties())) {
            return rows(c, query);
        }
    }

    /** Each row as its columns' text joined by '|', NULL as "null". */
    private static List<String> rows(Connection c, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
