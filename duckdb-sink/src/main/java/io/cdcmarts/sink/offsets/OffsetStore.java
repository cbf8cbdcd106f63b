package io.cdcmarts.sink.offsets;

import io.cdcmarts.sink.duckdb.Layout;
import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the consumed offsets that every batch stores in {@code _cdc.offsets} in its own
 * transaction: the only offsets the sink resumes from. Kafka's committed offsets are written
 * after the DuckDB commit for lag monitoring only.
 */
public final class OffsetStore {

    private final Connection connection;

    public OffsetStore(Connection connection) {
        this.connection = connection;
    }

    /** The next offset to consume for every partition the file has seen. */
    public Map<TopicPartition, Long> load() {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT topic, \"partition\", next_offset FROM " + Layout.OFFSETS.sql())) {
            while (rs.next()) {
                out.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the stored offsets from " + Layout.OFFSETS + ": " + e.getMessage(), e);
        }
        return out;
    }
}
