package io.cdcmarts.sink.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recomputes every mart in batch ({@link BatchMarts}) and diffs it with the streamed
 * {@code mart.*} table, row by row and column by column, numbers by exact value.
 */
public final class MartVerifier {

    private static final Pattern TABLE_REFERENCE = Pattern.compile("\\b(raw|stg)\\.(\\w+)");

    private final List<MartDefinition> marts;

    public MartVerifier() {
        this(BatchMarts.ALL);
    }

    public MartVerifier(List<MartDefinition> marts) {
        this.marts = List.copyOf(marts);
    }

    /** Compares every mart; reads only. */
    public VerifyReport verify(Connection duckdb) throws SQLException {
        List<VerifyReport.MartResult> results = new ArrayList<>();
        for (MartDefinition mart : marts) {
            results.add(verify(duckdb, mart));
        }
        return new VerifyReport(results);
    }

    VerifyReport.MartResult verify(Connection duckdb, MartDefinition mart) throws SQLException {
        Map<String, Map<String, Object>> expected = batchRows(duckdb, mart);
        Map<String, Map<String, Object>> actual = tableExists(duckdb, "mart", mart.name())
                ? rows(duckdb, mart, "SELECT " + String.join(", ", quoted(mart.columns())) + " FROM mart." + mart.name())
                : Map.of();
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : expected.entrySet()) {
            Map<String, Object> got = actual.get(e.getKey());
            if (got == null) {
                differences.add("missing   " + e.getKey() + " expected " + e.getValue());
                continue;
            }
            for (String column : mart.columns()) {
                Object want = e.getValue().get(column);
                Object have = got.get(column);
                if (!sameValue(want, have)) {
                    differences.add("differs   " + e.getKey() + " " + column + ": expected " + want + ", streamed " + have);
                }
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : actual.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                differences.add("unexpected " + e.getKey() + " streamed " + e.getValue());
            }
        }
        return new VerifyReport.MartResult(mart.name(), expected.size(), actual.size(), differences);
    }

    private Map<String, Map<String, Object>> batchRows(Connection duckdb, MartDefinition mart) throws SQLException {
        Matcher tables = TABLE_REFERENCE.matcher(mart.batchSql());
        while (tables.find()) {
            if (!tableExists(duckdb, tables.group(1), tables.group(2))) {
                // The sink creates tables on their first row: a layer table that does not exist
                // yet has no rows, and every mart joins its tables, so the batch mart is empty.
                return Map.of();
            }
        }
        Map<String, Map<String, Object>> raw = rows(duckdb, mart, mart.batchSql());
        if (mart.ratios().isEmpty()) {
            return raw;
        }
        Map<String, Map<String, Object>> out = new TreeMap<>();
        raw.forEach((key, row) -> {
            Map<String, Object> withRatios = new LinkedHashMap<>();
            for (String column : mart.columns()) {
                withRatios.put(column, mart.ratios().contains(column)
                        ? ratio(row.get(column + "__num"), row.get(column + "__den"))
                        : row.get(column));
            }
            out.put(key, withRatios);
        });
        return out;
    }

    /** num / den as DECIMAL(18,4), rounded half-up (away from zero); null when den is zero. */
    static BigDecimal ratio(Object num, Object den) {
        BigDecimal d = decimal(den);
        if (d == null || d.signum() == 0) {
            return null;
        }
        BigDecimal n = decimal(num);
        return n == null ? null : n.divide(d, 4, RoundingMode.HALF_UP);
    }

    private static Map<String, Map<String, Object>> rows(Connection duckdb, MartDefinition mart, String sql) throws SQLException {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        try (Statement st = duckdb.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), normalize(rs.getObject(i)));
                }
                List<String> keyParts = new ArrayList<>();
                for (String k : mart.keys()) {
                    keyParts.add(k + "=" + row.get(k));
                }
                out.put(String.join(",", keyParts), row);
            }
        }
        return out;
    }

    private static Object normalize(Object v) {
        if (v instanceof BigDecimal || v instanceof String || v == null) {
            return v;
        }
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return new BigDecimal(n instanceof BigInteger b ? b.toString() : Long.toString(n.longValue()));
        }
        return v.toString();
    }

    private static BigDecimal decimal(Object v) {
        if (v == null) {
            return null;
        }
        return v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
    }

    static boolean sameValue(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a == null ? null : a.toString(), b == null ? null : b.toString());
    }

    private static boolean tableExists(Connection duckdb, String schema, String table) throws SQLException {
        DatabaseMetaData md = duckdb.getMetaData();
        try (ResultSet rs = md.getTables(null, schema, table, null)) {
            return rs.next();
        }
    }

    private static List<String> quoted(List<String> columns) {
        return columns.stream().map(c -> "\"" + c + "\"").toList();
    }
}
