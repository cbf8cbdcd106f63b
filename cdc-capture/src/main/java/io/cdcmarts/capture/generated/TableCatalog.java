package io.cdcmarts.capture.generated;

import java.util.Optional;

/** Reads a table's columns from the source database (an I/O edge: tests can hand in a fixed shape). */
@FunctionalInterface
public interface TableCatalog {

    /** The table's current shape, or empty when it no longer exists. */
    Optional<TableShape> load(String table);
}
