package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** How {@code cdc-marts query} prints a {@link QueryResult}. */
public enum ResultFormat {

    /** RFC 4180: a header line, fields quoted when they hold a comma, quote or line break; NULL is empty. */
    CSV {
        @Override
        void print(QueryResult r, PrintWriter out) {
            out.println(String.join(",", r.columns().stream().map(c -> csv(c.name())).toList()));
            for (List<JsonNode> row : r.rows()) {
                out.println(String.join(",", row.stream().map(v -> v.isNull() ? "" : csv(text(v))).toList()));
            }
        }
    },
    /** The API's own document: columns with types, rows, rowCount, truncated. */
    JSON {
        @Override
        void print(QueryResult r, PrintWriter out) {
            out.println(r.toJson().toPrettyString());
        }
    },
    /** Aligned columns for a terminal, numbers right-aligned, then the row count. */
    TABLE {
        @Override
        void print(QueryResult r, PrintWriter out) {
            int n = r.columns().size();
            int[] width = new int[n];
            for (int i = 0; i < n; i++) {
                width[i] = r.columns().get(i).name().length();
            }
            List<String[]> cells = new ArrayList<>();
            for (List<JsonNode> row : r.rows()) {
                String[] line = new String[n];
                for (int i = 0; i < n; i++) {
                    line[i] = row.get(i).isNull() ? "NULL" : text(row.get(i));
                    width[i] = Math.max(width[i], line[i].length());
                }
                cells.add(line);
            }
            StringBuilder header = new StringBuilder();
            StringBuilder rule = new StringBuilder();
            for (int i = 0; i < n; i++) {
                header.append(i == 0 ? "" : " | ").append(pad(r.columns().get(i).name(), width[i], false));
                rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
            }
            out.println(header);
            out.println(rule);
            for (int j = 0; j < cells.size(); j++) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    line.append(i == 0 ? "" : " | ").append(pad(cells.get(j)[i], width[i], r.rows().get(j).get(i).isNumber()));
                }
                out.println(line);
            }
            out.println("(" + r.rows().size() + (r.rows().size() == 1 ? " row" : " rows")
                    + (r.truncated() ? ", truncated: there are more" : "") + ")");
        }
    };

    abstract void print(QueryResult result, PrintWriter out);

    private static String text(JsonNode v) {
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
