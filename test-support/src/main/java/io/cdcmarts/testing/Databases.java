package io.cdcmarts.testing;

import io.cdcmarts.common.PgDsn;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates uniquely named databases so tests sharing one server never see each other's rows. */
public final class Databases {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Databases() {
    }

    public static PgDsn create(PgDsn server, String name) {
        String db = (name.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + COUNTER.incrementAndGet());
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.jdbcProperties());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + db + " on " + server + ": " + e.getMessage(), e);
        }
        return server.withDatabase(db);
    }
}
