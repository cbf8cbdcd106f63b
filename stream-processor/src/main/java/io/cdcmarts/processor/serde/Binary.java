package io.cdcmarts.processor.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * A compact binary form for the processor's own state and internal topics, which only the processor
 * reads: variable-length integers, decimals as scale and unscaled value, strings as UTF-8 with their
 * length. A mart delta is ~10–30 bytes this way where its JSON was ~100–200, and nothing is parsed
 * by name. Each value starts with a format byte, so state written by another format is refused
 * with a message that says what to do instead of being misread.
 */
public final class Binary {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final byte J_NULL = 0;
    private static final byte J_FALSE = 1;
    private static final byte J_TRUE = 2;
    private static final byte J_INT = 3;
    private static final byte J_LONG = 4;
    private static final byte J_BIG_INTEGER = 5;
    private static final byte J_DECIMAL = 6;
    private static final byte J_DOUBLE = 7;
    private static final byte J_TEXT = 8;
    private static final byte J_OBJECT = 9;
    private static final byte J_ARRAY = 10;
    private static final byte J_AS_JSON = 11;
    private static final byte J_FLOAT = 12;

    private Binary() {
    }

    /** Writes a value's fields. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(Out out, T value);
    }

    /** Reads a value's fields in the order its writer wrote them. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(In in);
    }

    /**
     * A serde of {@code T} in format {@code format} (change it when the fields change). Null is
     * null bytes (a tombstone) both ways.
     */
    public static <T> Serde<T> serde(String name, int format, Writer<T> writer, Reader<T> reader) {
        byte tag = (byte) format;
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            Out out = new Out();
            out.buf[0] = tag;
            out.size = 1;
            writer.write(out, value);
            return out.toBytes();
        };
        Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0 || bytes[0] != tag) {
                throw new SerializationException(name + " in " + topic + " was written in another format (" +
                        (bytes.length == 0 ? "empty" : "format " + bytes[0]) + ", this version reads format " + format +
                        "): state from an older cdc-marts; run `cdc-marts reprocess` once");
            }
            In in = new In(bytes);
            T value = reader.read(in);
            in.expectEnd(name);
            return value;
        };
        return org.apache.kafka.common.serialization.Serdes.serdeFrom(serializer, deserializer);
    }

    /** A growable output buffer. */
    public static final class Out {
        private byte[] buf = new byte[32];
        private int size;

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        private void raw(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        /** A signed long in zig-zag variable-length form (1 byte for -64..63). */
        public Out varLong(long v) {
            long z = (v << 1) ^ (v >> 63);
            ensure(10);
            while ((z & ~0x7FL) != 0) {
                buf[size++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            buf[size++] = (byte) z;
            return this;
        }

        public Out bool(boolean b) {
            raw(b ? 1 : 0);
            return this;
        }

        /** A nullable long: a presence byte, then the value. */
        public Out optLong(Long v) {
            bool(v != null);
            if (v != null) {
                varLong(v);
            }
            return this;
        }

        /** A decimal: its scale and its unscaled value (a long, or the two's-complement bytes beyond). */
        public Out decimal(BigDecimal d) {
            varLong(d.scale());
            if (d.precision() <= 18) {
                // Below 10^18 the unscaled value fits in a long. Moving the point by the scale
                // gives it without unscaledValue()'s BigInteger (every money amount of every
                // state write came through there); the bytes are the same as below.
                bool(false);
                varLong(d.movePointRight(d.scale()).longValue());
                return this;
            }
            BigInteger unscaled = d.unscaledValue();
            if (unscaled.bitLength() < 63) {
                bool(false);
                varLong(unscaled.longValue());
            } else {
                bool(true);
                bytes(unscaled.toByteArray());
            }
            return this;
        }

        /** A nullable string as UTF-8: length + 1 (0 for null), then the bytes. */
        public Out string(String s) {
            if (s == null) {
                varLong(0);
                return this;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            varLong(utf8.length + 1L);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, size, utf8.length);
            size += utf8.length;
            return this;
        }

        public Out date(LocalDate d) {
            return varLong(d.toEpochDay());
        }

        /** A nullable byte string: length + 1 (0 for null), then the bytes. */
        public Out bytes(byte[] b) {
            if (b == null) {
                return varLong(0);
            }
            varLong(b.length + 1L);
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
            return this;
        }

        byte[] toBytes() {
            return Arrays.copyOf(buf, size);
        }

        /**
         * A JSON tree, node types kept (an int stays an int, a decimal keeps its scale), names
         * written as text: a row's values without a JSON generator.
         */
        public Out json(JsonNode node) {
            if (node == null || node.isNull()) {
                raw(J_NULL);
            } else if (node.isBoolean()) {
                raw(node.booleanValue() ? J_TRUE : J_FALSE);
            } else if (node.isInt() || node.isShort()) {
                raw(J_INT);
                varLong(node.intValue());
            } else if (node.isLong()) {
                raw(J_LONG);
                varLong(node.longValue());
            } else if (node.isBigInteger()) {
                raw(J_BIG_INTEGER);
                bytes(node.bigIntegerValue().toByteArray());
            } else if (node.isBigDecimal()) {
                raw(J_DECIMAL);
                decimal(node.decimalValue());
            } else if (node.isDouble()) {
                raw(J_DOUBLE);
                varLong(Double.doubleToRawLongBits(node.doubleValue()));
            } else if (node.isFloat()) {
                raw(J_FLOAT);
                varLong(Float.floatToRawIntBits(node.floatValue()));
            } else if (node.isTextual()) {
                raw(J_TEXT);
                string(node.textValue());
            } else if (node.isObject()) {
                raw(J_OBJECT);
                varLong(node.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    string(field.getKey());
                    json(field.getValue());
                }
            } else if (node.isArray()) {
                raw(J_ARRAY);
                varLong(node.size());
                node.forEach(this::json);
            } else {
                raw(J_AS_JSON); // anything rarer (binary, POJO): its JSON text
                string(node.toString());
            }
            return this;
        }

    }

    /** Reads what {@link Out} wrote, failing with a {@link SerializationException} on short input. */
    public static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
            this.pos = 1; // after the format byte
        }

        private byte next() {
            if (pos >= buf.length) {
                throw new SerializationException("binary value ends early at byte " + pos + " of " + buf.length);
            }
            return buf[pos++];
        }

        public long varLong() {
            long z = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = next();
                z |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return (z >>> 1) ^ -(z & 1);
                }
            }
            throw new SerializationException("malformed variable-length integer at byte " + pos);
        }

        public int varInt() {
            return Math.toIntExact(varLong());
        }

        public boolean bool() {
            return next() != 0;
        }

        public Long optLong() {
            return bool() ? varLong() : null;
        }

        public BigDecimal decimal() {
            int scale = varInt();
            return bool() ? new BigDecimal(new BigInteger(bytes()), scale) : BigDecimal.valueOf(varLong(), scale);
        }

        public String string() {
            int n = varInt() - 1;
            if (n < 0) {
                return null;
            }
            check(n);
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        public LocalDate date() {
            return LocalDate.ofEpochDay(varLong());
        }

        public byte[] bytes() {
            int n = varInt() - 1;
            if (n < 0) {
                return null;
            }
            check(n);
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        private void check(int n) {
            if (n > buf.length - pos) {
                throw new SerializationException("binary value ends early: " + n + " bytes wanted at byte " + pos + " of " + buf.length);
            }
        }

        /** A JSON tree that {@link Out#json} wrote. */
        public JsonNode json() {
            byte tag = next();
            return switch (tag) {
                case J_NULL -> NODES.nullNode();
                case J_FALSE -> NODES.booleanNode(false);
                case J_TRUE -> NODES.booleanNode(true);
                case J_INT -> NODES.numberNode(varInt());
                case J_LONG -> NODES.numberNode(varLong());
                case J_BIG_INTEGER -> NODES.numberNode(new BigInteger(bytes()));
                case J_DECIMAL -> NODES.numberNode(decimal());
                case J_DOUBLE -> NODES.numberNode(Double.longBitsToDouble(varLong()));
                case J_FLOAT -> NODES.numberNode(Float.intBitsToFloat(varInt()));
                case J_TEXT -> NODES.textNode(string());
                case J_OBJECT -> {
                    long n = varLong();
                    ObjectNode object = NODES.objectNode();
                    for (long i = 0; i < n; i++) {
                        String name = string();
                        object.set(name, json());
                    }
                    yield object;
                }
                case J_ARRAY -> {
                    long n = varLong();
                    ArrayNode array = NODES.arrayNode();
                    for (long i = 0; i < n; i++) {
                        array.add(json());
                    }
                    yield array;
                }
                case J_AS_JSON -> {
                    try {
                        yield Json.MAPPER.readTree(string());
                    } catch (IOException e) {
                        throw new SerializationException("a JSON value in a binary value is not JSON", e);
                    }
                }
                default -> throw new SerializationException("unknown JSON node tag " + tag + " at byte " + (pos - 1));
            };
        }

        void expectEnd(String name) {
            if (pos != buf.length) {
                throw new SerializationException(name + ": " + (buf.length - pos) + " bytes left over after the value");
            }
        }
    }
}
