package io.cdcmarts.generator;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Streams rows into {@code COPY ... FROM STDIN} in PostgreSQL's text format, in chunks, so a
 * million rows never sit in memory as one string. COPY is what makes the bulk step fast: one
 * round trip per 64 KiB instead of one per row or per batch.
 */
final class CopyWriter implements AutoCloseable {

    private static final int FLUSH_AT = 64 * 1024;

    private final CopyIn copy;
    private final StringBuilder buffer = new StringBuilder(FLUSH_AT + 1024);
    private boolean firstField = true;
    private long rows;
    private boolean finished;

    /**
     * @param copySql a {@code COPY table (columns) FROM STDIN} statement (text format, the default)
     */
    CopyWriter(Connection connection, String copySql) throws SQLException {
        this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
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
        if (buffer.length() >= FLUSH_AT) {
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
        if (!finished && copy.isActive()) {
            copy.cancelCopy();
        }
    }
}
