package io.cdcmarts.generator;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Rows in PostgreSQL's {@code COPY} text format. Either streamed into {@code COPY ... FROM STDIN}
 * in 64 KiB pieces, so a million rows never sit in memory as one string, or kept in memory
 * ({@link #buffered()}) to be built on one thread and sent on another ({@link #send}). COPY is what
 * makes the bulk step fast: one round trip per 64 KiB instead of one per row or per batch.
 */
final class CopyWriter implements AutoCloseable {

    private static final int FLUSH_AT = 64 * 1024;

    private final CopyIn copy;
    private final StringBuilder buffer = new StringBuilder(FLUSH_AT + 1024);
    private boolean firstField = true;
    private long rows;
    private boolean finished;

    /**
     * Streams into COPY.
     *
     * @param copySql a {@code COPY table (columns) FROM STDIN} statement (text format, the default)
     */
    CopyWriter(Connection connection, String copySql) throws SQLException {
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
    }

    private CopyWriter() {
        this.copy = null;
    }

    /** Keeps every row in memory until {@link #send}. */
    static CopyWriter buffered() {
        return new CopyWriter();
    }

    /** The text of a {@link #buffered()} writer, as COPY will read it. */
    String contents() {
        return buffer.toString();
    }

    /** Rows written so far. */
    long rows() {
        return rows;
    }

    /** COPYs the rows of a {@link #buffered()} writer on {@code connection}; returns the rows PostgreSQL took. */
    long send(Connection connection, String copySql) throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            long copied = in.endCopy();
            if (copied != rows) {
                throw new SQLException("COPY took " + copied + " rows of the " + rows + " sent");
            }
            return copied;
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    CopyWriter text(String value) {
        separator();
        if (value == null) {
            buffer.append("\\N");
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> buffer.append("\\\\");
                case '\t' -> buffer.append("\\t");
                case '\n' -> buffer.append("\\n");
                case '\r' -> buffer.append("\\r");
                default -> buffer.append(c);
            }
        }
        return this;
    }

    CopyWriter number(long value) {
        separator();
        buffer.append(value);
        return this;
    }

    CopyWriter money(BigDecimal value) {
        separator();
        buffer.append(value.toPlainString());
        return this;
    }

    CopyWriter timestamp(Instant value) {
        separator();
        buffer.append(value.toString()); // ISO-8601 with Z: PostgreSQL reads it as timestamptz
        return this;
    }

    CopyWriter bool(boolean value) {
        separator();
        buffer.append(value ? 't' : 'f');
        return this;
    }

    void endRow() throws SQLException {
        buffer.append('\n');
        firstField = true;
        rows++;
        if (copy != null && buffer.length() >= FLUSH_AT) {
            flush();
        }
    }

    /** Sends what is left and ends the COPY; returns the rows PostgreSQL took. */
    long finish() throws SQLException {
        flush();
        finished = true;
        long copied = copy.endCopy();
        if (copied != rows) {
            throw new SQLException("COPY took " + copied + " rows of the " + rows + " sent");
        }
        return copied;
    }

    private void separator() {
        if (!firstField) {
            buffer.append('\t');
        }
        firstField = false;
    }

    private void flush() throws SQLException {
        if (buffer.length() == 0) {
            return;
        }
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }

    /** Abandons an unfinished COPY, so the connection can roll back and be used again. */
    @Override
    public void close() throws SQLException {
        if (copy != null && !finished && copy.isActive()) {
            copy.cancelCopy();
        }
    }
}
