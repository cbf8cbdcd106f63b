package io.cdcmarts.processor.quality;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A user's changes to the built-in staging rules ({@code --rules FILE}), so a check can be turned
 * off, tightened or loosened without recompiling — and the layers recomputed with
 * {@code cdc-marts reprocess}. One change per line, {@code #} starts a comment:
 * <pre>
 * &lt;table&gt;.&lt;column&gt;.&lt;check&gt; = off | on | &lt;parameter&gt;
 *
 * customers.email.pattern = off                                   # drop a check
 * customers.age.max = 100                                         # change a bound
 * orders.status.accepted_values = pending, paid, shipped          # change a list
 * customers.country.accepted_values = France, Germany             # add a check the column lacked
 * order_items.quantity.max = 1000
 * product_variants.size.size_matches_category.lettered = XS, S, M, L, XL
 * product_variants.size.size_matches_category.numeric_range = 35-50
 * product_variants.size.size_matches_category.numeric_category = shoes
 * </pre>
 * {@code not_null}, {@code not_blank}, {@code positive} and {@code non_negative} take {@code on} or
 * {@code off}; {@code accepted_values} a comma-separated list; {@code pattern} a regular expression;
 * {@code min}/{@code max} a number. A changed check keeps its place in the reported order, a new one
 * comes after the built-in ones. Everything is validated when the file is read: any problem is
 * reported with the file, the line, the key and the reason, and nothing starts.
 */
public final class RulesFile {

    private static final String OFF = "off";
    private static final String ON = "on";
    private static final String SIZE_RULE = "size_matches_category";
    private static final Set<String> SWITCHES = Set.of("not_null", "not_blank", "positive", "non_negative");
    private static final List<String> KNOWN_CHECKS = List.of("not_null", "not_blank", "positive", "non_negative",
            "accepted_values", "pattern", "min", "max", SIZE_RULE);
    private static final Set<ColumnType> NUMERIC = Set.of(ColumnType.INT32, ColumnType.INT64, ColumnType.DECIMAL);

    private final String file;
    private final Map<String, List<Check>> checks = new LinkedHashMap<>();
    private final Map<String, TableRules> base;

    private RulesFile(String file, RuleSet base) {
        this.file = file;
        this.base = base.byTable();
        for (TableRules t : base.tables()) {
            checks.put(t.table(), new ArrayList<>(t.checks()));
        }
    }

    /** The built-in rules with the file's changes applied; throws {@link RulesFileException}. */
    public static RuleSet read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RulesFileException("rules file " + path + " does not exist");
        } catch (IOException e) {
            throw new RulesFileException("rules file " + path + " cannot be read: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new RulesFileException("rules file " + path + " cannot be read: " + e.getCause().getMessage());
        }
        return apply(path.toString(), lines, StagingRules.DEFAULTS);
    }

    /** {@code base} with the changes of {@code lines} (the content of {@code file}) applied. */
    public static RuleSet apply(String file, List<String> lines, RuleSet base) {
        RulesFile rules = new RulesFile(file, base);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            int lineNo = i + 1;
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw rules.error(lineNo, line, "expected <table>.<column>.<check> = <value>");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            Integer earlier = seen.putIfAbsent(key, lineNo);
            if (earlier != null) {
                throw rules.error(lineNo, key, "already set on line " + earlier);
            }
            rules.change(lineNo, key, value);
        }
        List<TableRules> tables = base.tables().stream()
                .map(t -> new TableRules(t.table(), t.columns(), rules.checks.get(t.table())))
                .toList();
        return new RuleSet(tables, file);
    }

    /** A {@code #} starts a comment, except inside a regular expression (after {@code pattern =}). */
    private static String stripComment(String line) {
        int eq = line.indexOf('=');
        boolean isPattern = eq > 0 && line.substring(0, eq).strip().endsWith(".pattern");
        if (isPattern) {
            return line.stripLeading().startsWith("#") ? "" : line;
        }
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private void change(int line, String key, String value) {
        String[] parts = key.split("\\.", -1);
        if (parts.length < 3 || parts.length > 4) {
            throw error(line, key, "expected <table>.<column>.<check>");
        }
        TableRules table = base.get(parts[0]);
        if (table == null) {
            throw error(line, key, "unknown table '" + parts[0] + "'; staged tables are " + base.keySet().stream().sorted().toList());
        }
        ColumnDef column = table.column(parts[1]).orElseThrow(() -> error(line, key, "table " + parts[0]
                + " has no column '" + parts[1] + "'; its columns are " + table.columns().stream().map(ColumnDef::name).toList()));
        String check = parts[2];
        if (check.equals(Staging.VALID_TYPE)) {
            throw error(line, key, "valid_type cannot be changed: a value that cannot be read as its type cannot be staged");
        }
        if (!KNOWN_CHECKS.contains(check)) {
            throw error(line, key, "unknown check '" + check + "'; checks are " + KNOWN_CHECKS);
        }
        if (value.isEmpty()) {
            throw error(line, key, "no value; use 'off' to turn the check off");
        }
        List<Check> list = checks.get(table.table());
        if (check.equals(SIZE_RULE)) {
            changeSizeRule(line, key, column, parts.length == 4 ? parts[3] : null, value, list);
            return;
        }
        if (parts.length == 4) {
            throw error(line, key, "only size_matches_category has sub-keys");
        }
        int at = indexOf(list, column.name(), check);
        if (value.equalsIgnoreCase(OFF)) {
            if (at < 0) {
                throw error(line, key, "there is no " + check + " check on " + table.table() + "." + column.name() + " to turn off");
            }
            list.remove(at);
            return;
        }
        Check replacement = build(line, key, column, check, value);
        if (at >= 0) {
            list.set(at, replacement);
        } else {
            list.add(replacement);
        }
    }

    private Check build(int line, String key, ColumnDef column, String check, String value) {
        if (SWITCHES.contains(check)) {
            if (!value.equalsIgnoreCase(ON)) {
                throw error(line, key, "'" + value + "' is not valid: " + check + " is 'on' or 'off'");
            }
            if ((check.equals("positive") || check.equals("non_negative")) && !NUMERIC.contains(column.type())) {
                throw error(line, key, check + " needs a numeric column, " + column.name() + " is " + typeName(column));
            }
            if (check.equals("not_blank") && column.type() != ColumnType.TEXT) {
                throw error(line, key, "not_blank needs a text column, " + column.name() + " is " + typeName(column));
            }
            return switch (check) {
                case "not_null" -> new Check.NotNull(column.name());
                case "not_blank" -> new Check.NotBlank(column.name());
                case "positive" -> new Check.Positive(column.name());
                default -> new Check.NonNegative(column.name());
            };
        }
        return switch (check) {
            case "accepted_values" -> new Check.AcceptedValues(column.name(), acceptedValues(line, key, column, value));
            case "pattern" -> {
                requireText(line, key, column, check);
                try {
                    yield new Check.Matches(column.name(), Pattern.compile(value));
                } catch (PatternSyntaxException e) {
                    throw error(line, key, "not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
                }
            }
            case "min" -> new Check.Min(column.name(), number(line, key, column, value));
            case "max" -> new Check.Max(column.name(), number(line, key, column, value));
            default -> throw new IllegalStateException("unhandled check " + check);
        };
    }

    private List<String> acceptedValues(int line, String key, ColumnDef column, String value) {
        requireText(line, key, column, "accepted_values");
        List<String> values = list(value);
        if (values.isEmpty()) {
            throw error(line, key, "no values; use 'off' to turn the check off");
        }
        for (String v : values) {
            // values are compared with the cleaned value: one that cleaning cannot produce never matches
            if (!v.equals(column.cleaning().apply(v))) {
                throw error(line, key, "'" + v + "' can never match: " + column.name() + " is compared after cleaning, write '"
                        + column.cleaning().apply(v) + "'");
            }
        }
        return values;
    }

    private BigDecimal number(int line, String key, ColumnDef column, String value) {
        if (!NUMERIC.contains(column.type())) {
            throw error(line, key, "min and max need a numeric column, " + column.name() + " is " + typeName(column));
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw error(line, key, "'" + value + "' is not a number");
        }
    }

    private void changeSizeRule(int line, String key, ColumnDef column, String param, String value, List<Check> list) {
        int at = indexOf(list, column.name(), SIZE_RULE);
        if (at < 0) {
            throw error(line, key, "there is no size_matches_category check on " + column.name()
                    + " (it is built in on product_variants.size, and may already be off)");
        }
        Check.SizeMatchesCategory rule = (Check.SizeMatchesCategory) list.get(at);
        if (param == null) {
            if (value.equalsIgnoreCase(OFF)) {
                list.remove(at);
                return;
            }
            if (value.equalsIgnoreCase(ON)) {
                return;
            }
            throw error(line, key, "'" + value + "' is not valid: size_matches_category is 'on' or 'off'; its parameters are"
                    + " .lettered, .numeric_category and .numeric_range");
        }
        Check.SizeMatchesCategory changed = switch (param) {
            case "lettered" -> {
                List<String> sizes = list(value);
                for (String s : sizes) {
                    if (!s.equals(column.cleaning().apply(s))) {
                        throw error(line, key, "'" + s + "' can never match: sizes are compared upper-cased, write '"
                                + column.cleaning().apply(s) + "'");
                    }
                }
                if (sizes.isEmpty()) {
                    throw error(line, key, "no sizes");
                }
                yield new Check.SizeMatchesCategory(rule.column(), rule.numericCategory(), rule.minNumeric(), rule.maxNumeric(), sizes);
            }
            case "numeric_category" -> {
                String category = base.get(StagingRules.PRODUCTS).column("category").orElseThrow().cleaning().apply(value);
                if (!category.equals(value)) {
                    throw error(line, key, "'" + value + "' can never match: categories are compared lower-cased, write '" + category + "'");
                }
                yield new Check.SizeMatchesCategory(rule.column(), value, rule.minNumeric(), rule.maxNumeric(), rule.lettered());
            }
            case "numeric_range" -> {
                String[] bounds = value.split("-", -1);
                int min;
                int max;
                try {
                    if (bounds.length != 2) {
                        throw new NumberFormatException();
                    }
                    min = Integer.parseInt(bounds[0].strip());
                    max = Integer.parseInt(bounds[1].strip());
                } catch (NumberFormatException e) {
                    throw error(line, key, "'" + value + "' is not a range of whole numbers like 35-48");
                }
                if (min > max) {
                    throw error(line, key, "the range " + value + " is empty (" + min + " > " + max + ")");
                }
                yield new Check.SizeMatchesCategory(rule.column(), rule.numericCategory(), min, max, rule.lettered());
            }
            default -> throw error(line, key, "unknown parameter '" + param
                    + "' of size_matches_category; parameters are lettered, numeric_category, numeric_range");
        };
        list.set(at, changed);
    }

    private void requireText(int line, String key, ColumnDef column, String check) {
        if (column.type() != ColumnType.TEXT) {
            throw error(line, key, check + " needs a text column, " + column.name() + " is " + typeName(column));
        }
    }

    private static String typeName(ColumnDef column) {
        return column.type().name().toLowerCase(Locale.ROOT);
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static int indexOf(List<Check> list, String column, String check) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).column().equals(column) && list.get(i).name().equals(check)) {
                return i;
            }
        }
        return -1;
    }

    private RulesFileException error(int line, String key, String reason) {
        return new RulesFileException("rules file " + file + ", line " + line + " (" + key + "): " + reason);
    }

    /** A rules file that cannot be used; the message names the file, the line, the key and the reason. */
    public static final class RulesFileException extends IllegalArgumentException {
        public RulesFileException(String message) {
            super(message);
        }
    }
}
