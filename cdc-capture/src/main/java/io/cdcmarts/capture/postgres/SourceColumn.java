package io.cdcmarts.capture.postgres;

/**
 * A column of a captured table as the catalog has it now.
 *
 * @param attnum the column's number in its table ({@code pg_attribute.attnum}): kept by a RENAME and
 *               by an ALTER COLUMN TYPE, never reused by a column added later
 * @param name   the column's name
 * @param type   {@code format_type(atttypid, atttypmod)}: {@code integer}, {@code numeric(12,4)},
 *               {@code character varying(5)}
 * @param filled whether rows written before the column existed hold a value in it (a default, a
 *               stored "missing value", a generation expression)
 */
public record SourceColumn(int attnum, String name, String type, boolean filled) {
}
