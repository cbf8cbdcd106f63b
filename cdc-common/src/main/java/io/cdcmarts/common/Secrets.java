package io.cdcmarts.common;

import java.util.regex.Pattern;

/** Keeps passwords out of logs and error messages. */
public final class Secrets {

    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(://[^:/@\\s]+:)([^@\\s]*)(@)");
    private static final Pattern PARAM_PASSWORD = Pattern.compile("(?i)(password=)([^&;\\s]*)");

    private Secrets() {
    }

    /** The text with every URL password (user:pass@ and password=...) replaced by ***. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = USERINFO_PASSWORD.matcher(text).replaceAll("$1***$3");
        return PARAM_PASSWORD.matcher(out).replaceAll("$1***");
    }
}
