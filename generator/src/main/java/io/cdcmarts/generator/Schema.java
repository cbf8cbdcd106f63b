package io.cdcmarts.generator;

import io.cdcmarts.common.PgDsn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tutorial's e-commerce source schema: {@code customers}, {@code products},
 * {@code product_variants}, {@code orders} and {@code order_items} (with the stored generated
 * column {@code order_items.total_price}), from the resource {@code schema.sql} beside this class.
 *
 * <p>{@link #create(Connection)} is idempotent and safe to call from several processes at once,
 * so every module and test that needs the tables can simply call it.
 */
public final class Schema {

    /** The five tables, parents before children (the order to create, fill or check them in). */
    public static final List<String> TABLES =
            List.of("customers", "products", "product_variants", "orders", "order_items");

    private static final String RESOURCE = "schema.sql";
    /** Any constant works; it only has to be the same in every process that creates the schema. */
    private static final long ADVISORY_LOCK_KEY = 0x6364636d61727473L; // "cdcmarts"

    private Schema() {
    }

    /**
     * Creates the tables and indexes that do not exist yet in the connection's current schema
     * (normally {@code public}), in one transaction. Leaves existing tables and their rows alone.
     * The connection's auto-commit setting is restored afterwards.
     *
     * @throws SQLException when PostgreSQL refuses a statement (e.g. missing privileges)
     */
    public static void create(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            // CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin (it can fail on the
            // catalog's unique index), so two generators started together take turns here.
            st.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK_KEY + ")");
            for (String statement : statements()) {
                st.execute(statement);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Opens a connection to {@code dsn}, creates what is missing as {@link #create(Connection)} does, and closes it. */
    public static void create(PgDsn dsn) throws SQLException {
        try (Connection connection = Connections.open(dsn, "cdc-marts-generator")) {
            create(connection);
        }
    }

    /** The names of the five tables that are missing in the connection's search path; empty when all exist. */
    public static List<String> missingTables(Connection connection) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NULL")) {
            for (String table : TABLES) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        missing.add(table);
                    }
                }
            }
        }
        return missing;
    }

    /** The DDL statements in order, without comments. */
    static List<String> statements() {
        return Arrays.stream(ddl().split("(?m)^;;\\s*$"))
                .map(Schema::withoutComments)
                .filter(s -> !s.isBlank())
                .toList();
    }

    /** The whole DDL script, as shipped. */
    public static String ddl() {
        try (InputStream in = Schema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the generator jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
    }

    private static String withoutComments(String sql) {
        return sql.lines().filter(line -> !line.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip();
    }
}
