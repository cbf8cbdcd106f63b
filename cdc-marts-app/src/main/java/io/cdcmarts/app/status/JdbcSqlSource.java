package io.cdcmarts.app.status;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Runs status's queries on an open DuckDB connection (the file, read-only, when no sink holds it). */
final class JdbcSqlSource implements SqlSource {

    private final Connection connection;
    private final String description;

    JdbcSqlSource(Connection connection, String description) {
        this.connection = connection;
        this.description = description;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}
