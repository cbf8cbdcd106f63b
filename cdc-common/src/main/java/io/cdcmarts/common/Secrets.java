package io.cdcmarts.common;

import java.util.regex.Pattern;

/** Keeps passwords out of logs and error messages. */
public final class Secrets {

    /**
     * {@code user:pass@} in a URL, whatever comes before it: {@code scheme://}, a mistyped
     * {@code scheme:/}, or nothing. The password runs to the last {@code @} of the word, since an
     * unencoded password may itself hold {@code @}, {@code :} or {@code /}; better to hide too much of
     * a malformed address than to show part of its password.
     */
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("((?:^|[\\s'\"/=])[^:/@\\s'\"]+:)(?!//)\\S*@");
    private static final Pattern PARAM_PASSWORD = Pattern.compile("(?i)(password=)([^&;\\s'\"]*)");

    private Secrets() {
    }

    /** The text with every URL password (user:pass@ and password=...) replaced by ***. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = USERINFO_PASSWORD.matcher(text).replaceAll("$1***@");
        return PARAM_PASSWORD.matcher(out).replaceAll("$1***");
    }
}
