package io.cdcmarts.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A PostgreSQL address, parsed once from either form users have at hand: the libpq/seed form
 * {@code postgresql://user:pass@host:5432/db?sslmode=disable} or the JDBC form
 * {@code jdbc:postgresql://host:5432/db?user=u&password=p}. {@link #toString()} never shows the
 * password, so a DSN can be logged or put in an error message as it is.
 */
public final class PgDsn {

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final Map<String, String> params;

    private PgDsn(String host, int port, String database, String user, String password, Map<String, String> params) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.params = Map.copyOf(params);
    }

    public static PgDsn of(String host, int port, String database, String user, String password) {
        return new PgDsn(host, port, database, user, password, Map.of());
    }

    /**
     * Parses a DSN.
     *
     * @throws IllegalArgumentException with a message that names what is wrong and shows the
     *                                  DSN without its password
     */
    public static PgDsn parse(String dsn) {
        if (dsn == null || dsn.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL DSN is empty; expected postgresql://user:pass@host:5432/db");
        }
        String text = dsn.trim();
        String rest;
        if (text.startsWith("jdbc:postgresql://")) {
            rest = text.substring("jdbc:".length());
        } else if (text.startsWith("postgresql://") || text.startsWith("postgres://")) {
            rest = text;
        } else {
            throw new IllegalArgumentException("PostgreSQL DSN '" + Secrets.redact(text)
                    + "' is not understood; expected postgresql://user:pass@host:5432/db or jdbc:postgresql://host:5432/db");
        }
        URI uri;
        try {
            uri = new URI(rest);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("PostgreSQL DSN '" + Secrets.redact(text) + "' is malformed: "
                    + e.getReason());
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL DSN '" + Secrets.redact(text) + "' " + whyNoHost(uri));
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("PostgreSQL DSN '" + Secrets.redact(text) + "' has a bad port " + port
                    + " (a number from 1 to 65535 is expected)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.put(k, v);
            }
        }
        String user = params.remove("user");
        String password = params.remove("password");
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) {
                password = decode(info.substring(colon + 1));
            }
        }
        if (database.isEmpty()) {
            database = user != null ? user : "postgres";
        }
        return new PgDsn(host, port, database, user == null ? "postgres" : user, password, params);
    }

    /**
     * Why {@link URI} found no host: a port that is not a number makes it give up on the whole
     * authority ({@code host:notaport}), which is a bad port to the user, not a missing host.
     */
    private static String whyNoHost(URI uri) {
        String authority = uri.getRawAuthority();
        if (authority != null) {
            String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
            int colon = hostPort.lastIndexOf(':');
            if (authority.indexOf('@') != authority.lastIndexOf('@')) {
                // URI gives up on the authority when a second '@' (unencoded, in the password) precedes the host
                return "has an '@' in its user or password (write it as %40)";
            }
            if (colon > 0 && !hostPort.endsWith("]") && !hostPort.substring(0, colon).isBlank()) {
                return "has a bad port '" + hostPort.substring(colon + 1) + "' (a number from 1 to 65535 is expected)";
            }
        }
        return "has no host";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The JDBC URL without credentials (they go in {@link #jdbcProperties()}). */
    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port)
                .append('/').append(database);
        if (!params.isEmpty()) {
            String sep = "?";
            for (Map.Entry<String, String> e : params.entrySet()) {
                url.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = "&";
            }
        }
        return url.toString();
    }

    /** user and password for {@code DriverManager.getConnection(url, props)}. */
    public Properties jdbcProperties() {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        return props;
    }

    /** The same server, another database. */
    public PgDsn withDatabase(String otherDatabase) {
        return new PgDsn(host, port, otherDatabase, user, password, params);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    /** The password, or null; never log it. */
    public String password() {
        return password;
    }

    public Map<String, String> params() {
        return params;
    }

    /** The seed's DSN form, password shown; for handing to another of our commands only. */
    public String toUrlWithPassword() {
        String auth = password == null ? enc(user) : enc(user) + ":" + enc(password);
        return "postgresql://" + auth + "@" + host + ":" + port + "/" + enc(database);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** postgresql://user:***@host:port/db — safe for logs and errors. */
    @Override
    public String toString() {
        return "postgresql://" + user + (password == null ? "" : ":***") + "@" + host + ":" + port + "/" + database;
    }
}
