package io.cdcmarts.sink.http;

/** A query that is not accepted (not read-only, not one statement, not valid SQL, too slow): the client's to fix (HTTP 400). */
public final class QueryRefusedException extends RuntimeException {

    public QueryRefusedException(String message) {
        super(message);
    }

    public QueryRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
