package io.cdcmarts.app.status;

/**
 * One service's answer on {@code /health}.
 *
 * @param service     capture, processor or sink
 * @param url         where it was asked
 * @param status      UP or DOWN as the service says, or UNREACHABLE when nothing answered
 * @param lastError   the service's last error, or null
 * @param lastErrorAt when it happened (ISO instant as the service wrote it), or null
 */
public record ServiceHealth(String service, String url, String status, String lastError, String lastErrorAt) {

    static ServiceHealth unreachable(String service, String url, String why) {
        return new ServiceHealth(service, url, "UNREACHABLE", why, null);
    }
}
