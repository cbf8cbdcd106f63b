package io.cdcmarts.app.status;

import java.util.List;

/**
 * Somewhere read-only SQL can run against the DuckDB file: the running sink's query API, or the
 * file itself when no sink holds it. Status asks both the same questions.
 */
public interface SqlSource {

    /** Where the answers come from, for people ("sink at http://…", "file data/…"). */
    String describe();

    /** The rows of a query, each a list of column values (numbers, strings or null). */
    List<List<Object>> rows(String sql) throws Exception;
}
