package io.cdcmarts.common;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names of every topic the pipeline reads or writes, derived from one prefix (SPEC §3).
 * Services never build topic names by hand: they ask this class, so a prefix change moves all.
 */
public record TopicNames(String prefix) {

    /** The layers that have one topic per table or mart. */
    public enum Layer {
        RAW("raw"), STG("stg"), DLQ("dlq"), MART("mart");

        private final String segment;

        Layer(String segment) {
            this.segment = segment;
        }

        public String segment() {
            return segment;
        }
    }

    public static final String DEFAULT_PREFIX = "shop";
    private static final Pattern VALID_PREFIX = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");

    public TopicNames {
        Objects.requireNonNull(prefix, "prefix");
        if (!VALID_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("topic prefix '" + prefix
                    + "' is not valid: use letters, digits, '_', '-' and single dots");
        }
    }

    public String topic(Layer layer, String name) {
        return prefix + "." + layer.segment() + "." + name;
    }

    public String raw(String table) {
        return topic(Layer.RAW, table);
    }

    public String stg(String table) {
        return topic(Layer.STG, table);
    }

    public String dlq(String table) {
        return topic(Layer.DLQ, table);
    }

    public String mart(String mart) {
        return topic(Layer.MART, mart);
    }

    /** Where the capture service keeps Debezium's source offsets (LSNs), compacted. */
    public String captureOffsets() {
        return prefix + ".capture.offsets";
    }

    /**
     * The compacted topic of the raw messages' schemas (SPEC's raw value format): key a schema id
     * ({@link io.cdcmarts.common.event.SchemaIds}), value the Kafka Connect schema JSON that the
     * messages naming that id leave out; written by capture before the first message that names it.
     */
    public String schemas() {
        return prefix + ".schemas";
    }

    /**
     * The compacted topic of currently failing source rows (key {@code {"table","key"}}, a
     * {@link io.cdcmarts.common.event.TypedRow} value, tombstone when fixed or deleted): the
     * processor knows exactly when a row starts and stops failing, so it publishes that state and
     * the sink mirrors it into {@code quality.open_failures}.
     */
    public String openFailures() {
        return prefix + ".quality.open_failures";
    }

    /** A regex that matches every topic of one layer, for pattern subscriptions. */
    public Pattern pattern(Layer layer) {
        return Pattern.compile(Pattern.quote(prefix + "." + layer.segment() + ".") + "[^.]+");
    }

    /** The layer and table (or mart) a topic belongs to, or empty when it is not one of ours. */
    public Optional<Parsed> parse(String topic) {
        for (Layer layer : Layer.values()) {
            String head = prefix + "." + layer.segment() + ".";
            if (topic.startsWith(head) && topic.length() > head.length()
                    && topic.indexOf('.', head.length()) < 0) {
                return Optional.of(new Parsed(layer, topic.substring(head.length())));
            }
        }
        return Optional.empty();
    }

    /** A topic split into its layer and its table or mart name. */
    public record Parsed(Layer layer, String name) {
    }
}
