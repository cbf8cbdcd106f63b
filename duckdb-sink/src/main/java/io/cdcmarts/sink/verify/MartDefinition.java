package io.cdcmarts.sink.verify;

import java.util.List;

/**
 * One mart of SPEC §6 as a batch query over the DuckDB raw and staging tables: the reference the
 * streamed, incrementally maintained {@code mart.<name>} table must equal.
 *
 * @param name      the mart (table {@code mart.<name>})
 * @param keys      key columns
 * @param columns   every column of the mart, keys first, in table order
 * @param batchSql  the batch recomputation; yields {@code columns} except the ratios, plus the
 *                  ratios' numerators and denominators as {@code <ratio>__num}, {@code <ratio>__den}
 * @param ratios    columns computed outside SQL as num/den, DECIMAL(18,4) half-up, null on zero
 *                  (DuckDB divides decimals in floating point, so the exact division is ours)
 */
public record MartDefinition(String name, List<String> keys, List<String> columns, String batchSql, List<String> ratios) {
}
