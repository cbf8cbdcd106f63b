package io.cdcmarts.capture.generated;

/**
 * A generation expression the evaluator cannot compute (a function call, a CASE, a text
 * operator …). The column is then left null in streamed events and named in a start-up warning.
 */
public final class UntranslatableExpressionException extends RuntimeException {

    public UntranslatableExpressionException(String message) {
        super(message);
    }
}
