package io.cdcmarts.generator;

import io.cdcmarts.common.PgDsn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything {@code cdc-marts generate} does, parsed and validated once. Every check names the
 * command-line option it belongs to, so a value built in code fails with the same message a user
 * sees on the command line. {@link #toString()} shows the DSN without its password.
 *
 * @param dsn              the PostgreSQL database to fill ({@code --dsn}, env {@code CDC_PG_URL})
 * @param customers        customers to upsert in the bulk step ({@code --customers}, default 100)
 * @param products         products to upsert in the bulk step ({@code --products}, default 50)
 * @param orders           orders to insert in the bulk step ({@code --orders}, default 500)
 * @param maxItemsPerOrder each order gets 1..this many items on distinct variants ({@code --max-items-per-order}, default 5)
 * @param chaosPercent     share of bad rows in percent, 0–100 ({@code --chaos-percent}, default 0): invalid variant
 *                         sizes in the bulk step, rows that fail the staging checks in the stream
 * @param startingAt       first instant an order of the bulk step may have ({@code --starting-at}, default yesterday 00:00 UTC)
 * @param endingAt         last instant an order of the bulk step may have ({@code --ending-at}, default today 23:59:59 UTC)
 * @param seed             seed of every random choice ({@code --seed}, default 42): the same seed on the same
 *                         database state gives the same rows
 * @param createSchema     create the tables first when they are missing ({@code --create-schema})
 * @param stream           after the bulk step, run the continuous workload ({@code --stream})
 * @param rate             events per second of the continuous workload ({@code --rate}, default 20)
 * @param maxEvents        stop the workload after this many events ({@code --max-events}); empty: no limit
 * @param duration         stop the workload after this long ({@code --duration}); empty: no limit
 */
public record GeneratorConfig(PgDsn dsn,
                              int customers,
                              int products,
                              int orders,
                              int maxItemsPerOrder,
                              double chaosPercent,
                              Instant startingAt,
                              Instant endingAt,
                              long seed,
                              boolean createSchema,
                              boolean stream,
                              double rate,
                              OptionalLong maxEvents,
                              Optional<Duration> duration) {

    public static final int DEFAULT_CUSTOMERS = 100;
    public static final int DEFAULT_PRODUCTS = 50;
    public static final int DEFAULT_ORDERS = 500;
    public static final int DEFAULT_MAX_ITEMS_PER_ORDER = 5;
    public static final long DEFAULT_SEED = 42;
    public static final double DEFAULT_RATE = 20;

    /** Validates; every message names the option and the reason. */
    public GeneratorConfig {
        if (dsn == null) {
            throw new IllegalArgumentException(
                    "--dsn is required: pass --dsn postgresql://user:pass@host:5432/db or set CDC_PG_URL");
        }
        requireAtLeast("--customers", customers, 0);
        requireAtLeast("--products", products, 0);
        requireAtLeast("--orders", orders, 0);
        requireAtLeast("--max-items-per-order", maxItemsPerOrder, 1);
        if (!(chaosPercent >= 0 && chaosPercent <= 100)) {
            throw new IllegalArgumentException("--chaos-percent must be between 0 and 100, got " + chaosPercent);
        }
        Objects.requireNonNull(startingAt, "startingAt");
        Objects.requireNonNull(endingAt, "endingAt");
        if (endingAt.isBefore(startingAt)) {
            throw new IllegalArgumentException("--ending-at " + endingAt + " is before --starting-at " + startingAt);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a positive number of events per second, got " + rate);
        }
        Objects.requireNonNull(maxEvents, "maxEvents");
        Objects.requireNonNull(duration, "duration");
        if (maxEvents.isPresent() && maxEvents.getAsLong() < 1) {
            throw new IllegalArgumentException("--max-events must be >= 1, got " + maxEvents.getAsLong());
        }
        if (duration.isPresent() && (duration.get().isNegative() || duration.get().isZero())) {
            throw new IllegalArgumentException("--duration must be > 0 seconds, got " + duration.get().toSeconds());
        }
    }

    /** The tutorial's defaults against {@code dsn}, window around today (UTC). */
    public static Builder builder(PgDsn dsn) {
        return new Builder(dsn, Clock.systemUTC());
    }

    /** The tutorial's default window start: yesterday at 00:00 UTC. */
    public static Instant defaultStartingAt(Clock clock) {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The tutorial's default window end: today at 23:59:59 UTC. */
    public static Instant defaultEndingAt(Clock clock) {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).atTime(LocalTime.of(23, 59, 59)).toInstant(ZoneOffset.UTC);
    }

    /**
     * Parses the value of {@code --dsn}; the message of a failure never shows the password.
     *
     * @return the DSN, or null for a missing or blank value (the record then says it is required)
     */
    public static PgDsn parseDsn(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return PgDsn.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dsn: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a window bound: an ISO date ({@code 2024-01-31}) or date-time ({@code 2024-01-31T12:00:00},
     * a space instead of the {@code T} too), UTC unless it carries an offset ({@code Z}, {@code +02:00}).
     * A date alone means the start of that day for {@code --starting-at} and its last second for
     * {@code --ending-at}, so {@code --starting-at 2024-01-01 --ending-at 2024-01-31} covers all of January.
     *
     * @param option     the option's name, for the message
     * @param endOfDay   whether a date alone means the day's last second
     */
    public static Instant parseBound(String option, String text, boolean endOfDay) {
        String value = text == null ? "" : text.strip();
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                LocalDateTime at = endOfDay ? day.atTime(LocalTime.of(23, 59, 59)) : day.atStartOfDay();
                return at.toInstant(ZoneOffset.UTC);
            }
            String iso = value.replace(' ', 'T');
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException noOffset) {
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + value + "' is not an ISO date (2024-01-31) or date-time"
                    + " (2024-01-31T12:00:00, UTC unless an offset such as Z or +02:00 follows)");
        }
    }

    private static void requireAtLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", got " + value);
        }
    }

    /** Builds a config from the defaults up; {@link #build()} validates. */
    public static final class Builder {
        private final PgDsn dsn;
        private int customers = DEFAULT_CUSTOMERS;
        private int products = DEFAULT_PRODUCTS;
        private int orders = DEFAULT_ORDERS;
        private int maxItemsPerOrder = DEFAULT_MAX_ITEMS_PER_ORDER;
        private double chaosPercent;
        private Instant startingAt;
        private Instant endingAt;
        private long seed = DEFAULT_SEED;
        private boolean createSchema;
        private boolean stream;
        private double rate = DEFAULT_RATE;
        private OptionalLong maxEvents = OptionalLong.empty();
        private Optional<Duration> duration = Optional.empty();

        private Builder(PgDsn dsn, Clock clock) {
            this.dsn = dsn;
            this.startingAt = defaultStartingAt(clock);
            this.endingAt = defaultEndingAt(clock);
        }

        public Builder customers(int n) {
            this.customers = n;
            return this;
        }

        public Builder products(int n) {
            this.products = n;
            return this;
        }

        public Builder orders(int n) {
            this.orders = n;
            return this;
        }

        public Builder maxItemsPerOrder(int n) {
            this.maxItemsPerOrder = n;
            return this;
        }

        public Builder chaosPercent(double percent) {
            this.chaosPercent = percent;
            return this;
        }

        public Builder window(Instant startingAt, Instant endingAt) {
            this.startingAt = startingAt;
            this.endingAt = endingAt;
            return this;
        }

        public Builder startingAt(Instant startingAt) {
            this.startingAt = startingAt;
            return this;
        }

        public Builder endingAt(Instant endingAt) {
            this.endingAt = endingAt;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder createSchema(boolean create) {
            this.createSchema = create;
            return this;
        }

        public Builder stream(boolean stream) {
            this.stream = stream;
            return this;
        }

        public Builder rate(double eventsPerSecond) {
            this.rate = eventsPerSecond;
            return this;
        }

        public Builder maxEvents(long n) {
            this.maxEvents = OptionalLong.of(n);
            return this;
        }

        public Builder duration(Duration d) {
            this.duration = Optional.of(d);
            return this;
        }

        public GeneratorConfig build() {
            return new GeneratorConfig(dsn, customers, products, orders, maxItemsPerOrder, chaosPercent,
                    startingAt, endingAt, seed, createSchema, stream, rate, maxEvents, duration);
        }
    }
}
