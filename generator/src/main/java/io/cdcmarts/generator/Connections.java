package io.cdcmarts.generator;

import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.Secrets;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opens JDBC connections for the generator, with errors that show where and never the password. */
final class Connections {

    private Connections() {
    }

    static Connection open(PgDsn dsn, String applicationName) throws SQLException {
        Properties props = dsn.jdbcProperties();
        // Shows up in pg_stat_activity, so an operator can tell the generator's sessions apart.
        props.setProperty("ApplicationName", applicationName);
        try {
            return DriverManager.getConnection(dsn.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new SQLException("could not connect to " + dsn + ": " + Secrets.redact(e.getMessage()),
                    e.getSQLState(), e);
        }
    }

    /**
     * SQLSTATE class 08 (connection exception), 57P01–57P03 (the server shut down or terminated
     * the session), or no connection to ask any more.
     */
    static boolean isConnectionLost(SQLException e, Connection connection) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
            return true;
        }
        try {
            return connection == null || connection.isClosed();
        } catch (SQLException closedCheck) {
            return true;
        }
    }
}
