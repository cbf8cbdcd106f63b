package io.cdcmarts.capture.postgres;

import io.cdcmarts.capture.CaptureException;
import io.cdcmarts.capture.signal.SignalTable;
import io.cdcmarts.capture.generated.ColumnInfo;
import io.cdcmarts.capture.generated.PgType;
import io.cdcmarts.capture.generated.TableCatalog;
import io.cdcmarts.capture.generated.TableShape;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The capture service's own JDBC connection to the source: the start-up checks (reachable,
 * {@code wal_level=logical}), the list of tables to capture, the publication, and the catalog
 * reads behind generated columns. Every error message names host:port and database, never the
 * password.
 */
public final class SourceDatabase implements TableCatalog, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SourceDatabase.class);
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final PgDsn dsn;
    private final String schema;
    private Connection connection;

    private SourceDatabase(PgDsn dsn, String schema, Connection connection) {
        this.dsn = dsn;
        this.schema = schema;
        this.connection = connection;
    }

    /**
     * Connects, or fails with a message that says where it tried.
     *
     * @param schema the captured schema (for catalog reads)
     * @throws CaptureException naming host:port, database and user, and the driver's reason
     */
    public static SourceDatabase connect(PgDsn dsn, String schema) {
        return new SourceDatabase(dsn, schema, open(dsn));
    }

    private static Connection open(PgDsn dsn) {
        Properties props = dsn.jdbcProperties();
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "cdc-marts capture");
        try {
            return DriverManager.getConnection(dsn.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new CaptureException("cannot connect to PostgreSQL at " + where(dsn) + " as user '" + dsn.user()
                    + "': " + Secrets.redact(e.getMessage()), e);
        }
    }

    /** host:port, database 'db' — how messages name the source. */
    public static String where(PgDsn dsn) {
        return dsn.host() + ":" + dsn.port() + ", database '" + dsn.database() + "'";
    }

    public String where() {
        return where(dsn);
    }

    /** The server's major version (15, 18 …). */
    public int majorVersion() {
        try {
            return Integer.parseInt(queryString("SHOW server_version_num")) / 10000;
        } catch (SQLException e) {
            throw failure("cannot read the server version", e);
        }
    }

    /**
     * Fails unless the server runs with {@code wal_level=logical}, with the fix in the message.
     *
     * @throws CaptureException when wal_level is not logical
     */
    public void requireLogicalWal() {
        String level;
        try {
            level = queryString("SHOW wal_level");
        } catch (SQLException e) {
            throw failure("cannot read wal_level", e);
        }
        if (!"logical".equals(level)) {
            throw new CaptureException("PostgreSQL at " + where() + " runs with wal_level=" + level
                    + "; change data capture needs wal_level=logical: set it in postgresql.conf (or"
                    + " ALTER SYSTEM SET wal_level = logical) and restart the server");
        }
    }

    /** Whether the user may call pg_logical_emit_message (capture's default heartbeat action). */
    public boolean canEmitLogicalMessages() {
        try {
            // PostgreSQL 17 added a fourth argument (flush): look the text variant up by name.
            return "t".equals(queryString("""
                    SELECT coalesce(bool_or(has_function_privilege(p.oid, 'EXECUTE')), false)
                    FROM pg_proc p
                    WHERE p.proname = 'pg_logical_emit_message' AND p.proargtypes[2] = 'text'::regtype"""));
        } catch (SQLException e) {
            LOG.warn("Cannot check the privilege on pg_logical_emit_message: {}", Secrets.redact(e.getMessage()));
            return false;
        }
    }

    /**
     * The ordinary tables of the schema (partitions left out), with whether each has a primary key
     * and a replica identity (PostgreSQL's rule for publishing UPDATE and DELETE: the default
     * identity uses the primary key, {@code USING INDEX} its index, {@code FULL} the whole row).
     */
    public List<SourceTable> tables() {
        String sql = """
                SELECT c.relname,
                       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_pk,
                       CASE c.relreplident
                           WHEN 'f' THEN true
                           WHEN 'd' THEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
                           WHEN 'i' THEN EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)
                           ELSE false
                       END AS has_identity
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                ORDER BY c.relname""";
        List<SourceTable> out = new ArrayList<>();
        try (PreparedStatement st = connection().prepareStatement(sql)) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new SourceTable(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot list the tables of schema '" + schema + "'", e);
        }
        return out;
    }

    /**
     * A replication slot of this server by name (slot names are unique per server, not per database).
     *
     * @param database   the database the slot decodes
     * @param plugin     its output plugin (pgoutput)
     * @param restartLsn the oldest WAL position the slot still keeps, or -1 when it has none
     */
    public record ReplicationSlot(String name, String database, String plugin, long restartLsn) {
    }

    /** The slot named {@code name} on this server, whatever database it belongs to. */
    public Optional<ReplicationSlot> replicationSlot(String name) {
        String sql = "SELECT database, plugin, coalesce((restart_lsn - '0/0'::pg_lsn)::bigint, -1)"
                + " FROM pg_replication_slots WHERE slot_name = ?";
        try (PreparedStatement st = connection().prepareStatement(sql)) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new ReplicationSlot(name, rs.getString(1), rs.getString(2), rs.getLong(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read replication slot '" + name + "'", e);
        }
    }

    /** The database the DSN names. */
    public String database() {
        return dsn.database();
    }

    /**
     * Every column of the schema's tables, by table, in {@code attnum} order: its number, name, type
     * and whether it has a value for rows written before it existed (a default, {@code ADD COLUMN …
     * DEFAULT 42}, PostgreSQL's stored "missing value" or a rewrite, or a stored generation expression).
     */
    public Map<String, List<SourceColumn>> columns() {
        String sql = """
                SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.atthasdef OR a.atthasmissing
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                  AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY c.relname, a.attnum""";
        Map<String, List<SourceColumn>> out = new HashMap<>();
        try (PreparedStatement st = connection().prepareStatement(sql)) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new SourceColumn(rs.getInt(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read the columns of schema '" + schema + "'", e);
        }
        return out;
    }

    /** The OID of every ordinary table of the schema, by name: a table dropped and created again has another. */
    public Map<String, Long> tableIds() {
        String sql = """
                SELECT c.relname, c.oid::bigint
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition""";
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement st = connection().prepareStatement(sql)) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot list the tables of schema '" + schema + "'", e);
        }
        return out;
    }

    /**
     * Writes a transactional logical decoding message: it is decoded in commit order with the
     * changes around it.
     *
     * @throws SQLException when the user may not call pg_logical_emit_message
     */
    public void emitMessage(String prefix, String content) throws SQLException {
        try (PreparedStatement st = connection().prepareStatement("SELECT pg_logical_emit_message(true, ?, ?)")) {
            st.setString(1, prefix);
            st.setString(2, content);
            st.execute();
        }
    }

    public boolean schemaExists() {
        try (PreparedStatement st = connection().prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure("cannot look up schema '" + schema + "'", e);
        }
    }

    /**
     * Creates the publication, or brings an existing one to exactly {@code tables} (and, on
     * PostgreSQL 18+, {@code publish_generated_columns = stored}). Always a {@code FOR TABLE} list,
     * never {@code FOR TABLES IN SCHEMA}: a published table without a replica identity makes every
     * UPDATE and DELETE on it fail at the source, and a schema-wide publication cannot leave one out.
     *
     * @param tables the tables to publish (of the captured schema); may be empty
     * @return the tables of {@code tables} that an existing publication did not publish before (their
     *         earlier rows never reached the slot), empty when the publication was created now
     */
    public List<String> ensurePublication(String name, List<String> tables, int majorVersion) {
        return ensurePublication(name, tables, majorVersion, null);
    }

    /**
     * {@link #ensurePublication(String, List, int)}, with Debezium's signaling table in the
     * publication too (its inserts must reach the connector through the WAL), when {@code signal} is given.
     */
    public List<String> ensurePublication(String name, List<String> tables, int majorVersion, SignalTable signal) {
        boolean generated = majorVersion >= 18;
        List<String> targets = new ArrayList<>(tables.stream().map(t -> quote(schema) + "." + quote(t)).toList());
        Set<String> expectedTables = new TreeSet<>(tables);
        if (signal != null) {
            targets.add(signal.sql());
            expectedTables.add(signal.qualified()); // a table of another schema is read back qualified
        }
        String target = targets.isEmpty() ? "no table yet" : "TABLE " + String.join(", ", targets);
        try {
            Optional<PublicationState> existing = publication(name, generated);
            if (existing.isEmpty()) {
                String sql = "CREATE PUBLICATION " + quote(name) + (targets.isEmpty() ? "" : " FOR " + target)
                        + (generated ? " WITH (publish_generated_columns = stored)" : "");
                execute(sql);
                LOG.info("Created publication {} for {}{}", name, target,
                        generated ? " WITH (publish_generated_columns = stored)" : "");
                return List.of();
            }
            PublicationState state = existing.get();
            if (state.allTables()) {
                throw new CaptureException("publication " + name + " on " + where() + " is FOR ALL TABLES;"
                        + " capture wants it for " + target + ": drop it, or choose another name with --publication");
            }
            List<String> added = tables.stream().filter(t -> !state.published().contains(t)).toList();
            if (!state.schemas().isEmpty() || !state.tables().equals(expectedTables)) {
                LOG.info("Publication {} publishes schemas {} and tables {}; setting it to {}", name,
                        state.schemas(), state.tables(), target);
                setTables(name, targets, state);
            }
            if (generated && !state.publishesGeneratedColumns()) {
                execute("ALTER PUBLICATION " + quote(name) + " SET (publish_generated_columns = stored)");
                LOG.info("Publication {} now publishes stored generated columns", name);
            }
            LOG.debug("Using publication {} for {}", name, target);
            return added;
        } catch (SQLException e) {
            throw failure("cannot create or update the publication " + name + " (for " + target + ");"
                    + " FOR TABLE needs ownership of the tables. Create it yourself, or use --tables", e);
        }
    }

    /**
     * The tables of the schema that publication {@code name} publishes now, or empty when there is
     * no such publication. PostgreSQL takes a dropped table out of it, and never puts one in by itself.
     */
    public Optional<Set<String>> publishedTables(String name) {
        try {
            return publication(name, false).map(PublicationState::published);
        } catch (SQLException e) {
            throw failure("cannot read the publication " + name, e);
        }
    }

    /** ALTER PUBLICATION … SET TABLE needs at least one table: an empty list drops what is there. */
    private void setTables(String name, List<String> targets, PublicationState state) throws SQLException {
        if (!targets.isEmpty()) {
            execute("ALTER PUBLICATION " + quote(name) + " SET TABLE " + String.join(", ", targets));
            return;
        }
        for (String s : state.schemas()) {
            execute("ALTER PUBLICATION " + quote(name) + " DROP TABLES IN SCHEMA " + quote(s));
        }
        for (String t : state.tables()) {
            execute("ALTER PUBLICATION " + quote(name) + " DROP TABLE "
                    + (t.contains(".") ? t : quote(schema) + "." + quote(t)));
        }
    }

    /**
     * Makes Debezium's signaling table ready: creates it (and its schema) when missing, and checks
     * that Debezium may read and write it (its chunk watermarks) and that it is in the publication
     * {@code publication}, or that capture's user may put it there (owning the table, and the
     * publication when it exists). An existing table is never created again: {@code CREATE SCHEMA IF
     * NOT EXISTS} checks the database's CREATE right before it looks for the schema, so a table a
     * DBA made for a user without that right must not be touched.
     *
     * @throws CaptureException naming the table, what is missing and what to do
     */
    public void ensureSignalTable(SignalTable signal, String publication) {
        try {
            if (!exists(signal)) {
                try {
                    signal.create(connection());
                } catch (SQLException e) {
                    throw failure("cannot create the signal table " + signal.qualified()
                            + " (capture resnapshot asks for snapshots through it): grant CREATE on the database,"
                            + " create it yourself (see the README), or give --signal-table " + SignalTable.NONE, e);
                }
                LOG.info("Created the signal table {} (capture resnapshot asks for snapshots through it)", signal.qualified());
            }
            String missing = queryString("SELECT concat_ws('; ',"
                    + " CASE WHEN NOT has_schema_privilege(c.relnamespace, 'USAGE') THEN 'no USAGE on its schema' END,"
                    + " CASE WHEN NOT has_table_privilege(c.oid, 'SELECT, INSERT') THEN 'no SELECT and INSERT on it' END,"
                    + " CASE WHEN NOT EXISTS (SELECT 1 FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid"
                    + "     WHERE r.prrelid = c.oid AND p.pubname = " + literal(publication) + ") THEN nullif(concat_ws(', ',"
                    + "   CASE WHEN NOT pg_has_role(c.relowner, 'USAGE')"
                    + "     THEN 'it is owned by ' || c.relowner::regrole || ', so capture cannot publish it' END,"
                    + "   (SELECT 'publication " + publication.replace("'", "''") + " is owned by ' || p.pubowner::regrole"
                    + "      || ' and does not publish it' FROM pg_publication p"
                    + "      WHERE p.pubname = " + literal(publication) + " AND NOT pg_has_role(p.pubowner, 'USAGE'))), '') END)"
                    + " FROM pg_class c WHERE c.oid = to_regclass(" + literal(signal.sql()) + ")");
            if (!missing.isEmpty()) {
                throw new CaptureException("cannot use the signal table " + signal.qualified() + " on PostgreSQL at "
                        + where() + " (Debezium reads it from publication " + publication + " and writes into it): "
                        + missing + ". Set it up as the README says (GRANT …, ALTER PUBLICATION … ADD TABLE), or give"
                        + " --signal-table " + SignalTable.NONE);
            }
        } catch (SQLException e) {
            throw failure("cannot look up the signal table " + signal.qualified(), e);
        }
    }

    private boolean exists(SignalTable signal) throws SQLException {
        return queryString("SELECT to_regclass(" + literal(signal.sql()) + ")::text") != null;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * Asks the running capture for an incremental snapshot of {@code tables} of the captured schema
     * through its signal table.
     *
     * @return the signal's id
     * @throws CaptureException when a table does not exist or has no primary key (incremental
     *                          snapshots read in key order), or the signal table is missing
     */
    public String requestSnapshot(SignalTable signal, List<String> tables) {
        return requestSnapshot(signal, tables, false);
    }

    /**
     * {@link #requestSnapshot(SignalTable, List)}, as a blocking snapshot when {@code blocking} (see
     * {@link SignalTable#requestBlockingSnapshot}).
     */
    public String requestSnapshot(SignalTable signal, List<String> tables, boolean blocking) {
        Map<String, SourceTable> byName = new HashMap<>();
        tables().forEach(t -> byName.put(t.name(), t));
        for (String t : tables) {
            SourceTable table = byName.get(t);
            if (table == null) {
                throw new CaptureException("table " + schema + "." + t + " does not exist on PostgreSQL at " + where());
            }
            if (!table.hasPrimaryKey()) {
                throw new CaptureException("table " + schema + "." + t + " has no primary key: capture does not"
                        + " capture it, so there is nothing to snapshot");
            }
        }
        try {
            if (!exists(signal)) {
                throw new CaptureException("the signal table " + signal.qualified() + " does not exist on PostgreSQL at "
                        + where() + ": start capture (it creates it when its user may) with the same --topic-prefix"
                        + " and --signal-table, or create it (see the README)");
            }
            if (!"t".equals(queryString("SELECT EXISTS (SELECT 1 FROM pg_publication_tables WHERE schemaname = "
                    + literal(signal.schema()) + " AND tablename = " + literal(signal.table()) + ")"))) {
                // Debezium reads signals from the WAL: an unpublished row would be ignored without a word
                throw new CaptureException("the signal table " + signal.qualified() + " on PostgreSQL at " + where()
                        + " is in no publication, so capture would never see the request: see capture's start-up"
                        + " warning, or ALTER PUBLICATION … ADD TABLE " + signal.qualified());
            }
            return blocking ? signal.requestBlockingSnapshot(connection(), schema, tables)
                    : signal.requestSnapshot(connection(), schema, tables);
        } catch (SQLException e) {
            throw failure("cannot insert a snapshot signal into " + signal.qualified(), e);
        }
    }

    /**
     * @param tables    the tables listed by name ({@code FOR TABLE})
     * @param published the captured schema's tables it publishes in effect, by name or by schema
     */
    private record PublicationState(boolean allTables, Set<String> schemas, Set<String> tables,
                                    Set<String> published, boolean publishesGeneratedColumns) {
    }

    private Optional<PublicationState> publication(String name, boolean readGenerated) throws SQLException {
        boolean allTables;
        boolean generated = false;
        String sql = "SELECT puballtables" + (readGenerated ? ", pubgencols::text" : "")
                + " FROM pg_publication WHERE pubname = ?";
        try (PreparedStatement st = connection().prepareStatement(sql)) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                allTables = rs.getBoolean(1);
                if (readGenerated) {
                    generated = "s".equals(rs.getString(2));
                }
            }
        }
        Set<String> schemas = new TreeSet<>();
        try (PreparedStatement st = connection().prepareStatement("""
                SELECT n.nspname FROM pg_publication_namespace pn
                JOIN pg_publication p ON p.oid = pn.pnpubid JOIN pg_namespace n ON n.oid = pn.pnnspid
                WHERE p.pubname = ?""")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
        }
        Set<String> tables = new TreeSet<>();
        try (PreparedStatement st = connection().prepareStatement("""
                SELECT n.nspname, c.relname FROM pg_publication_rel pr
                JOIN pg_publication p ON p.oid = pr.prpubid JOIN pg_class c ON c.oid = pr.prrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE p.pubname = ?""")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    // a table of another schema never matches a configuration
                    tables.add(schema.equals(rs.getString(1)) ? rs.getString(2) : rs.getString(1) + "." + rs.getString(2));
                }
            }
        }
        Set<String> published = new TreeSet<>();
        try (PreparedStatement st = connection().prepareStatement(
                "SELECT tablename FROM pg_publication_tables WHERE pubname = ? AND schemaname = ?")) {
            st.setString(1, name);
            st.setString(2, schema);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    published.add(rs.getString(1));
                }
            }
        }
        return Optional.of(new PublicationState(allTables, schemas, tables, published, generated));
    }

    /** Every captured table's columns, for the tables that have stored generated columns. */
    public Map<String, TableShape> shapes(Collection<String> tables) {
        Map<String, TableShape> out = new LinkedHashMap<>();
        for (TableShape shape : readShapes(tables.isEmpty() ? null : List.copyOf(tables))) {
            out.put(shape.table(), shape);
        }
        return out;
    }

    @Override
    public Optional<TableShape> load(String table) {
        try {
            return readShapes(List.of(table)).stream().findFirst();
        } catch (CaptureException e) {
            // A lost connection: open a new one once, the catalog read is worth it.
            LOG.warn("Catalog read for {} failed ({}); reconnecting", table, e.getMessage());
            reconnect();
            return readShapes(List.of(table)).stream().findFirst();
        }
    }

    private List<TableShape> readShapes(List<String> tables) {
        String sql = """
                SELECT c.relname, a.attname, a.attnum, t.typname, a.atttypmod,
                       CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) END
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                  AND (?::text[] IS NULL OR c.relname = ANY (?::text[]))
                ORDER BY c.relname, a.attnum""";
        Map<String, List<ColumnInfo>> columns = new LinkedHashMap<>();
        try (PreparedStatement st = connection().prepareStatement(sql)) {
            st.setString(1, schema);
            Array names = tables == null ? null : connection().createArrayOf("text", tables.toArray());
            st.setArray(2, names);
            st.setArray(3, names);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new ColumnInfo(
                            rs.getString(2), rs.getInt(3), PgType.fromCatalog(rs.getString(4), rs.getInt(5)),
                            rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read the columns of " + (tables == null ? "schema " + schema : tables), e);
        }
        return columns.entrySet().stream().map(e -> new TableShape(e.getKey(), e.getValue())).toList();
    }

    private Connection connection() {
        if (connection == null) {
            connection = open(dsn);
        }
        return connection;
    }

    private void reconnect() {
        closeQuietly();
        connection = open(dsn);
    }

    private String queryString(String sql) throws SQLException {
        try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = connection().createStatement()) {
            st.execute(sql);
        }
    }

    private CaptureException failure(String what, SQLException e) {
        return new CaptureException(what + " on PostgreSQL at " + where() + ": " + Secrets.redact(e.getMessage()), e);
    }

    /** A SQL identifier, double-quoted. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the catalog connection failed", e);
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
