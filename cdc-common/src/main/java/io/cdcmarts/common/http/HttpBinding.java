package io.cdcmarts.common.http;

/**
 * Where a service's HTTP server listens.
 *
 * @param address the address to bind: {@value #LOCALHOST} by default so nothing is exposed by
 *                accident; {@code 0.0.0.0} in containers
 * @param port    the port; 0 picks a free one, -1 serves nothing
 */
public record HttpBinding(String address, int port) {

    public static final String LOCALHOST = "127.0.0.1";

    public HttpBinding {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("--http-bind (CDC_HTTP_BIND) is empty; use e.g. 127.0.0.1 or 0.0.0.0");
        }
        address = address.trim();
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("--http-port (CDC_HTTP_PORT) must be a port number, 0 for any free port "
                    + "or -1 for none, got " + port);
        }
    }

    /** Whether the service serves HTTP at all. */
    public boolean enabled() {
        return port >= 0;
    }
}
