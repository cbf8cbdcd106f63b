package io.cdcmarts.sink.duckdb;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds SQL text from identifiers only: table and column names come from the topics, so they are
 * always quoted; values never go into SQL text (they are appended or bound).
 */
public final class Sql {

    private Sql() {
    }

    /** A quoted identifier: {@code "name"}, with embedded quotes doubled. */
    public static String ident(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code "a", "b", "c"}. */
    public static String idents(List<String> names) {
        return names.stream().map(Sql::ident).collect(Collectors.joining(", "));
    }

    /** {@code l."a" = r."a" AND l."b" = r."b"}. */
    public static String joinOn(String left, String right, List<String> columns) {
        return columns.stream().map(c -> left + "." + ident(c) + " = " + right + "." + ident(c))
                .collect(Collectors.joining(" AND "));
    }
}
