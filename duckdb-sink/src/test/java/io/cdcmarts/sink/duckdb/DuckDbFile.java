package io.cdcmarts.sink.duckdb;

import io.cdcmarts.common.TopicNames;
import io.cdcmarts.sink.batch.Batch;
import io.cdcmarts.sink.batch.BatchBuilder;
import io.cdcmarts.sink.batch.SourceRecord;
import org.duckdb.DuckDBConnection;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/** The sink's write path on a real DuckDB file, without Kafka: records in, one transaction per batch. */
final class DuckDbFile implements AutoCloseable {

    final DuckDBConnection connection;
    final DuckDbTables tables;
    final BatchBuilder builder;
    final BatchApplier applier;

    DuckDbFile(Path file, Clock clock) throws SQLException {
        connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        connection.setAutoCommit(false);
        tables = new DuckDbTables(connection);
        tables.createLayout();
        builder = new BatchBuilder(new TopicNames("shop"), tables, clock);
        applier = new BatchApplier(connection, tables);
    }

    BatchApplier.Applied apply(List<SourceRecord> records) throws Exception {
        return apply(records, BatchApplier.BeforeCommit.NONE);
    }

    BatchApplier.Applied apply(List<SourceRecord> records, BatchApplier.BeforeCommit hook) throws Exception {
        Batch batch = builder.build(records);
        return applier.apply(batch, hook);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
