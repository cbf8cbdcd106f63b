package io.cdcmarts.processor.quality;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The staging rules the processor runs with: one {@link TableRules} per staged table. The built-in
 * set is {@link StagingRules#DEFAULTS}; a rules file ({@link RulesFile}) derives another from it.
 *
 * @param tables the rules of every staged table, in dependency order
 * @param source where the rules come from, for logs ("built-in" or the file)
 */
public record RuleSet(List<TableRules> tables, String source) {

    public RuleSet {
        tables = List.copyOf(tables);
    }

    public TableRules customers() {
        return of(StagingRules.CUSTOMERS);
    }

    public TableRules products() {
        return of(StagingRules.PRODUCTS);
    }

    public TableRules productVariants() {
        return of(StagingRules.PRODUCT_VARIANTS);
    }

    public TableRules orders() {
        return of(StagingRules.ORDERS);
    }

    public TableRules orderItems() {
        return of(StagingRules.ORDER_ITEMS);
    }

    /** The rules of one table; throws when the table is not staged. */
    public TableRules of(String table) {
        TableRules rules = byTable().get(table);
        if (rules == null) {
            throw new IllegalArgumentException("no staging rules for table " + table);
        }
        return rules;
    }

    public Map<String, TableRules> byTable() {
        return tables.stream().collect(Collectors.toUnmodifiableMap(TableRules::table, Function.identity()));
    }

    /** The same tables with one table's rules replaced. */
    public RuleSet with(TableRules replacement, String newSource) {
        return new RuleSet(tables.stream().map(t -> t.table().equals(replacement.table()) ? replacement : t).toList(),
                newSource);
    }
}
