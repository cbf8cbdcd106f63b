package io.cdcmarts.capture.generated;

import io.cdcmarts.capture.generated.PgType.Kind;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A stored generated column's expression, as {@code pg_get_expr(adbin, adrelid)} prints it,
 * compiled for evaluation outside the database: column references, numeric constants,
 * {@code + - * /}, unary minus, parentheses and {@code ::type} casts to integer, numeric and
 * floating-point types. Everything else (function calls, CASE, text or date operators) is refused
 * at compile time with {@link UntranslatableExpressionException}.
 *
 * <p>Arithmetic follows PostgreSQL's rules where they matter for the result: integers divide with
 * truncation toward zero, NUMERIC is exact ({@link BigDecimal}; division takes the scale PostgreSQL
 * would choose), float operands make the operation a {@code double} one, NULL in gives NULL out,
 * and the result is converted to the column's type the way an assignment does (NUMERIC(p,s) rounded
 * half away from zero to s, integers rounded half away from zero).
 */
public final class GenerationExpression {

    /** PostgreSQL's NUMERIC_MIN_SIG_DIGITS: a quotient keeps at least this many significant digits. */
    private static final int MIN_SIG_DIGITS = 16;
    /** PostgreSQL's NUMERIC_MAX_DISPLAY_SCALE. */
    private static final int MAX_DISPLAY_SCALE = 1000;
    /** float8 to numeric keeps DBL_DIG significant digits, as PostgreSQL does. */
    private static final MathContext FLOAT_DIGITS = new MathContext(15, RoundingMode.HALF_EVEN);
    private static final Set<String> KEYWORDS = Set.of("case", "when", "then", "else", "end", "coalesce",
            "nullif", "greatest", "least", "null", "true", "false", "and", "or", "not", "is", "in", "between",
            "like", "cast", "extract", "interval", "date", "timestamp", "current_date", "current_timestamp");

    private static final String OPERATOR_CHARS = "<>=~!@#%^&|`?";

    private final String text;
    private final Node root;
    private final Set<String> columns;
    private final PgType resultType;

    private GenerationExpression(String text, Node root, Set<String> columns, PgType resultType) {
        this.text = text;
        this.root = root;
        this.columns = Collections.unmodifiableSet(columns);
        this.resultType = resultType;
    }

    /**
     * Compiles an expression.
     *
     * @param text        the expression as pg_get_expr prints it
     * @param columnTypes the types of the table's columns, by exact name
     * @param resultType  the type of the generated column (the result is converted to it)
     * @throws UntranslatableExpressionException with the reason, when the expression is not one this
     *                                           evaluator computes
     */
    public static GenerationExpression compile(String text, Map<String, PgType> columnTypes, PgType resultType) {
        if (resultType.kind().isEmpty()) {
            throw new UntranslatableExpressionException("the column's type " + resultType.sql() + " is not numeric");
        }
        Parser parser = new Parser(tokenize(text), columnTypes);
        Node node = parser.parseExpression();
        parser.expectEnd();
        Set<String> refs = new LinkedHashSet<>();
        node.collectColumns(refs);
        Node converted = new Cast(node, resultType);
        converted.kind(); // type-checks the whole tree once, at compile time
        return new GenerationExpression(text, converted, refs, resultType);
    }

    /** The expression text it was compiled from. */
    public String text() {
        return text;
    }

    /** The columns the expression reads. */
    public Set<String> columns() {
        return columns;
    }

    /** The generated column's type. */
    public PgType resultType() {
        return resultType;
    }

    /**
     * Computes the value.
     *
     * @param values a column's value as an exact number, or null for SQL NULL
     * @return the value converted to the column's type, or null when an input is NULL (or a
     *         division by zero, which PostgreSQL would have refused to store)
     */
    public BigDecimal evaluate(Function<String, BigDecimal> values) {
        try {
            return root.eval(values);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }

    // ---------------------------------------------------------------- tokens

    private enum T { NUMBER, STRING, IDENT, QUOTED_IDENT, SYMBOL, OPERATOR, END }

    private record Token(T type, String text, int pos) {
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    int j = i + 1;
                    if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                        j++;
                    }
                    if (j < s.length() && Character.isDigit(s.charAt(j))) {
                        i = j;
                        while (i < s.length() && Character.isDigit(s.charAt(i))) {
                            i++;
                        }
                    }
                }
                out.add(new Token(T.NUMBER, s.substring(start, i), start));
            } else if (c == '\'') {
                int start = i;
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new UntranslatableExpressionException("unterminated string literal at " + start);
                    }
                    char d = s.charAt(i);
                    if (d == '\'') {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                            b.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    b.append(d);
                    i++;
                }
                out.add(new Token(T.STRING, b.toString(), start));
            } else if (c == '"') {
                int start = i;
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= s.length()) {
                        throw new UntranslatableExpressionException("unterminated quoted identifier at " + start);
                    }
                    char d = s.charAt(i);
                    if (d == '"') {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                            b.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    b.append(d);
                    i++;
                }
                out.add(new Token(T.QUOTED_IDENT, b.toString(), start));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
                    i++;
                }
                // Unquoted identifiers fold to lower case, as in PostgreSQL.
                out.add(new Token(T.IDENT, s.substring(start, i).toLowerCase(Locale.ROOT), start));
            } else if (c == ':' && i + 1 < s.length() && s.charAt(i + 1) == ':') {
                out.add(new Token(T.SYMBOL, "::", i));
                i += 2;
            } else if ("+-*/(),.".indexOf(c) >= 0) {
                // pg_get_expr spaces its operators, and PostgreSQL never lexes "*-" as one operator.
                out.add(new Token(T.SYMBOL, String.valueOf(c), i));
                i++;
            } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
                // Not ours; the parser names it when it gets there, so earlier causes (CASE …) come first.
                int end = i + 1;
                while (end < s.length() && OPERATOR_CHARS.indexOf(s.charAt(end)) >= 0) {
                    end++;
                }
                out.add(new Token(T.OPERATOR, s.substring(i, end), i));
                i = end;
            } else {
                throw new UntranslatableExpressionException("has the unexpected character '" + c + "' at " + i);
            }
        }
        out.add(new Token(T.END, "", s.length()));
        return out;
    }

    // ---------------------------------------------------------------- parser

    private static final class Parser {
        private final List<Token> tokens;
        private final Map<String, PgType> columnTypes;
        private int pos;

        Parser(List<Token> tokens, Map<String, PgType> columnTypes) {
            this.tokens = tokens;
            this.columnTypes = columnTypes;
        }

        private Token peek() {
            return tokens.get(pos);
        }

        private Token next() {
            return tokens.get(pos++);
        }

        private boolean symbol(String s) {
            Token t = peek();
            if (t.type == T.SYMBOL && t.text.equals(s)) {
                pos++;
                return true;
            }
            return false;
        }

        void expectEnd() {
            Token t = peek();
            if (t.type == T.OPERATOR) {
                throw new UntranslatableExpressionException("uses the operator " + t.text);
            }
            if (t.type != T.END) {
                throw new UntranslatableExpressionException("unexpected '" + t.text + "' at " + t.pos);
            }
        }

        Node parseExpression() {
            Node left = parseTerm();
            while (true) {
                if (symbol("+")) {
                    left = new Binary('+', left, parseTerm());
                } else if (symbol("-")) {
                    left = new Binary('-', left, parseTerm());
                } else {
                    return left;
                }
            }
        }

        private Node parseTerm() {
            Node left = parseUnary();
            while (true) {
                if (symbol("*")) {
                    left = new Binary('*', left, parseUnary());
                } else if (symbol("/")) {
                    left = new Binary('/', left, parseUnary());
                } else {
                    return left;
                }
            }
        }

        private Node parseUnary() {
            if (symbol("-")) {
                return new Negate(parseUnary());
            }
            if (symbol("+")) {
                return parseUnary();
            }
            return parsePostfix();
        }

        // In PostgreSQL '::' binds tighter than unary minus: -x::numeric is -(x::numeric).
        private Node parsePostfix() {
            Node node = parsePrimary();
            while (symbol("::")) {
                node = new Cast(node, parseTypeName());
            }
            return node;
        }

        private Node parsePrimary() {
            Token t = next();
            switch (t.type) {
                case NUMBER:
                    return Constant.ofLiteral(t.text);
                case STRING:
                    return new UnknownLiteral(t.text);
                case QUOTED_IDENT:
                    return column(t.text);
                case IDENT:
                    if (peek().type == T.SYMBOL && peek().text.equals("(")) {
                        throw new UntranslatableExpressionException("calls the function " + t.text + "()");
                    }
                    if (KEYWORDS.contains(t.text)) {
                        throw new UntranslatableExpressionException("uses " + t.text.toUpperCase(Locale.ROOT));
                    }
                    return column(t.text);
                case SYMBOL:
                    if (t.text.equals("(")) {
                        Node inner = parseExpression();
                        if (!symbol(")")) {
                            expectEnd(); // names an operator that stopped the expression, if one did
                            throw new UntranslatableExpressionException("expected ')' at " + peek().pos);
                        }
                        return inner;
                    }
                    throw new UntranslatableExpressionException("unexpected '" + t.text + "' at " + t.pos);
                case OPERATOR:
                    throw new UntranslatableExpressionException("uses the operator " + t.text);
                default:
                    throw new UntranslatableExpressionException("the expression ends too early");
            }
        }

        private Node column(String name) {
            PgType type = columnTypes.get(name);
            if (type == null) {
                throw new UntranslatableExpressionException("refers to the unknown column " + name);
            }
            if (type.kind().isEmpty()) {
                throw new UntranslatableExpressionException("reads the " + type.sql() + " column " + name);
            }
            if (peek().type == T.SYMBOL && peek().text.equals(".")) {
                throw new UntranslatableExpressionException("uses a qualified name " + name + ".…");
            }
            return new ColumnRef(name, type);
        }

        private PgType parseTypeName() {
            Token t = next();
            if (t.type != T.IDENT && t.type != T.QUOTED_IDENT) {
                throw new UntranslatableExpressionException("expected a type name after '::' at " + t.pos);
            }
            StringBuilder words = new StringBuilder(t.text);
            if (symbol(".")) { // pg_catalog.numeric
                Token qualified = next();
                words.append('.').append(qualified.text);
            }
            while (peek().type == T.IDENT && Set.of("precision", "varying", "with", "without", "time", "zone")
                    .contains(peek().text)) {
                words.append(' ').append(next().text);
            }
            Integer precision = null;
            Integer scale = null;
            if (symbol("(")) {
                precision = integer(next());
                if (symbol(",")) {
                    scale = integer(next());
                }
                if (!symbol(")")) {
                    throw new UntranslatableExpressionException("expected ')' in the type modifier at " + peek().pos);
                }
            }
            String name = words.toString();
            return PgType.fromCastName(name, precision, scale).orElseThrow(() ->
                    new UntranslatableExpressionException("casts to " + name));
        }

        private static Integer integer(Token t) {
            if (t.type != T.NUMBER || !t.text.chars().allMatch(Character::isDigit)) {
                throw new UntranslatableExpressionException("expected an integer type modifier at " + t.pos);
            }
            return Integer.valueOf(t.text);
        }
    }

    // ---------------------------------------------------------------- tree

    private interface Node {
        /** The arithmetic kind of the result; throws when the node cannot be typed. */
        Kind kind();

        BigDecimal eval(Function<String, BigDecimal> values);

        default void collectColumns(Set<String> into) {
        }
    }

    private record Constant(BigDecimal value, Kind kind) implements Node {
        static Constant ofLiteral(String text) {
            BigDecimal v;
            try {
                v = new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw new UntranslatableExpressionException("bad number " + text);
            }
            boolean integral = text.chars().allMatch(Character::isDigit);
            if (integral && v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                return new Constant(v, Kind.INTEGER);
            }
            return new Constant(v.scale() < 0 ? v.setScale(0) : v, Kind.NUMERIC);
        }

        @Override
        public BigDecimal eval(Function<String, BigDecimal> values) {
            return value;
        }
    }

    /** A quoted literal: it has a type only once cast ('1.5'::numeric). */
    private record UnknownLiteral(String text) implements Node {
        @Override
        public Kind kind() {
            throw new UntranslatableExpressionException("uses the literal '" + text + "' without a numeric cast");
        }

        @Override
        public BigDecimal eval(Function<String, BigDecimal> values) {
            throw new IllegalStateException("an untyped literal is never evaluated");
        }
    }

    private record ColumnRef(String name, PgType type) implements Node {
        @Override
        public Kind kind() {
            return type.kind().orElseThrow();
        }

        @Override
        public BigDecimal eval(Function<String, BigDecimal> values) {
            return values.apply(name);
        }

        @Override
        public void collectColumns(Set<String> into) {
            into.add(name);
        }
    }

    private record Negate(Node operand) implements Node {
        @Override
        public Kind kind() {
            return operand.kind();
        }

        @Override
        public BigDecimal eval(Function<String, BigDecimal> values) {
            BigDecimal v = operand.eval(values);
            return v == null ? null : v.negate();
        }

        @Override
        public void collectColumns(Set<String> into) {
            operand.collectColumns(into);
        }
    }

    private record Binary(char op, Node left, Node right) implements Node {
        @Override
        public Kind kind() {
            Kind l = left.kind();
            Kind r = right.kind();
            if (l == Kind.FLOAT || r == Kind.FLOAT) {
                return Kind.FLOAT;
            }
            if (l == Kind.NUMERIC || r == Kind.NUMERIC) {
                return Kind.NUMERIC;
            }
            return Kind.INTEGER;
        }

        @Override
        public BigDecimal eval(Function<String, BigDecimal> values) {
            BigDecimal a = left.eval(values);
            if (a == null) {
                return null;
            }
            BigDecimal b = right.eval(values);
            if (b == null) {
                return null;
            }
            Kind kind = kind();
            if (kind == Kind.FLOAT) {
                double x = a.doubleValue();
                double y = b.doubleValue();
                double z = switch (op) {
                    case '+' -> x + y;
                    case '-' -> x - y;
                    case '*' -> x * y;
                    default -> {
                        if (y == 0) {
                            throw new ArithmeticException("division by zero");
                        }
                        yield x / y;
                    }
                };
                if (Double.isNaN(z) || Double.isInfinite(z)) {
                    throw new ArithmeticException("not a finite number");
                }
                return BigDecimal.valueOf(z);
            }
            return switch (op) {
                case '+' -> a.add(b);
                case '-' -> a.subtract(b);
                case '*' -> a.multiply(b);
                default -> kind == Kind.INTEGER ? a.divide(b, 0, RoundingMode.DOWN) : divideNumeric(a, b);
            };
        }

        @Override
        public void collectColumns(Set<String> into) {
            left.collectColumns(into);
            right.collectColumns(into);
        }
    }

    private record Cast(Node operand, PgType target) implements Node {
        @Override
        public Kind kind() {
            if (operand instanceof UnknownLiteral literal) {
                try {
                    new BigDecimal(literal.text().trim());
                } catch (NumberFormatException e) {
                    throw new UntranslatableExpressionException("uses the literal '" + literal.text() + "', not a number");
                }
            } else {
                operand.kind();
            }
            return target.kind().orElseThrow();
        }

        @Override
        public BigDecimal eval(Function<String, BigDecimal> values) {
            Kind from;
            BigDecimal v;
            if (operand instanceof UnknownLiteral literal) {
                try {
                    v = new BigDecimal(literal.text().trim());
                } catch (NumberFormatException e) {
                    throw new ArithmeticException("'" + literal.text() + "' is not a number");
                }
                from = Kind.NUMERIC;
            } else {
                v = operand.eval(values);
                from = operand.kind();
            }
            if (v == null) {
                return null;
            }
            return convert(v, from, target);
        }

        @Override
        public void collectColumns(Set<String> into) {
            operand.collectColumns(into);
        }
    }

    /** A value of one kind converted to a type, as PostgreSQL's cast or assignment does it. */
    static BigDecimal convert(BigDecimal v, Kind from, PgType target) {
        Kind to = target.kind().orElseThrow();
        switch (to) {
            case INTEGER:
                // numeric to integer rounds half away from zero; float to integer uses rint (half even)
                return v.setScale(0, from == Kind.FLOAT ? RoundingMode.HALF_EVEN : RoundingMode.HALF_UP);
            case FLOAT:
                return "float4".equals(target.name())
                        ? new BigDecimal(Float.toString((float) v.doubleValue()))
                        : BigDecimal.valueOf(v.doubleValue());
            default:
                BigDecimal n = v;
                if (from == Kind.FLOAT) {
                    n = v.round(FLOAT_DIGITS).stripTrailingZeros();
                    if (n.scale() < 0) {
                        n = n.setScale(0);
                    }
                }
                return target.hasScale() ? n.setScale(target.scale(), RoundingMode.HALF_UP) : n;
        }
    }

    /**
     * NUMERIC division with the result scale PostgreSQL selects (select_div_scale in numeric.c):
     * at least 16 significant digits, never fewer decimals than either operand, rounded half away
     * from zero.
     */
    static BigDecimal divideNumeric(BigDecimal a, BigDecimal b) {
        if (b.signum() == 0) {
            throw new ArithmeticException("division by zero");
        }
        int weight1 = 0;
        int first1 = 0;
        if (a.signum() != 0) {
            weight1 = nbaseWeight(a);
            first1 = firstNbaseDigit(a, weight1);
        }
        int weight2 = nbaseWeight(b);
        int first2 = firstNbaseDigit(b, weight2);
        int qweight = weight1 - weight2;
        if (first1 <= first2) {
            qweight--;
        }
        int rscale = MIN_SIG_DIGITS - qweight * 4;
        rscale = Math.max(rscale, Math.max(a.scale(), 0));
        rscale = Math.max(rscale, Math.max(b.scale(), 0));
        rscale = Math.max(rscale, 0);
        rscale = Math.min(rscale, MAX_DISPLAY_SCALE);
        return a.divide(b, rscale, RoundingMode.HALF_UP);
    }

    /** The weight of the first base-10000 digit of a non-zero number (PostgreSQL's NBASE digits). */
    private static int nbaseWeight(BigDecimal x) {
        int exponent = x.precision() - x.scale() - 1;
        return Math.floorDiv(exponent, 4);
    }

    private static int firstNbaseDigit(BigDecimal x, int weight) {
        return x.abs().movePointLeft(4 * weight).setScale(0, RoundingMode.DOWN).intValue();
    }
}
