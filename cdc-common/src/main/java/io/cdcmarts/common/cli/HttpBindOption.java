package io.cdcmarts.common.cli;

import io.cdcmarts.common.http.HttpBinding;
import picocli.CommandLine.Option;

/**
 * {@code --http-bind} for every service with an HTTP server ({@code @Mixin HttpBindOption http}).
 * The port stays an option of each command: each service has its own default port.
 */
public class HttpBindOption {

    @Option(names = "--http-bind", paramLabel = "ADDRESS", defaultValue = "${env:CDC_HTTP_BIND:-" + HttpBinding.LOCALHOST + "}",
            description = "Address the HTTP server binds; 0.0.0.0 to serve other hosts, as in docker compose "
                    + "(env CDC_HTTP_BIND; default ${DEFAULT-VALUE}).")
    public String bind = HttpBinding.LOCALHOST;

    /** The validated binding; throws {@link IllegalArgumentException} naming the option. */
    public HttpBinding binding(int port) {
        return new HttpBinding(bind, port);
    }
}
