package io.cdcmarts.common.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;

import java.io.IOException;

/**
 * One JSON object inside a message's bytes, already checked to be well-formed JSON: a row image
 * or a payload that a reader can stream ({@link #parser()}) or turn into a tree ({@link #tree()})
 * when it needs it, instead of every message paying for a tree.
 *
 * @param message the whole message
 * @param start   the offset of the object's opening brace
 * @param end     the offset just after its closing brace
 */
public record JsonSlice(byte[] message, int start, int end) {

    /** A parser over the object alone; its first token is the object's START_OBJECT. */
    public JsonParser parser() throws IOException {
        return Json.MAPPER.createParser(message, start, end - start);
    }

    /** The object as a tree. */
    public ObjectNode tree() {
        try {
            return (ObjectNode) Json.MAPPER.readTree(message, start, end - start);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /**
     * The error for a message a streaming read found unreadable: "not JSON" and what a tree of the
     * whole message fails with, the message readers gave before they streamed (it says where in the
     * message, not where in a part of it).
     */
    public MalformedEventException unreadable(IOException streaming) {
        return notJson(message, streaming);
    }

    static MalformedEventException notJson(byte[] message, IOException streaming) {
        try {
            Json.MAPPER.readTree(message);
        } catch (IOException e) {
            return new MalformedEventException("not JSON: " + e.getMessage(), e);
        }
        return new MalformedEventException("not JSON: " + streaming.getMessage(), streaming);
    }

    /**
     * The object the parser is on (its START_OBJECT, read by a parser over {@code message} from
     * {@code base}), skipped over: the parser is left on its END_OBJECT.
     */
    static JsonSlice skip(JsonParser p, byte[] message, int base) throws IOException {
        int start = base + (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        return new JsonSlice(message, start, base + (int) p.currentLocation().getByteOffset());
    }

    /** A tree of the value the parser is on, for the rare values a reader does not stream. */
    static JsonNode readTree(JsonParser p) throws IOException {
        JsonNode node = Json.MAPPER.readTree(p);
        return node == null ? Json.MAPPER.nullNode() : node;
    }
}
