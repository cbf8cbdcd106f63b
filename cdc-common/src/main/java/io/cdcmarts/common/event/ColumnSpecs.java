package io.cdcmarts.common.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmarts.common.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes column lists in the Kafka Connect JSON schema form ({@code fields} array). */
public final class ColumnSpecs {

    private ColumnSpecs() {
    }

    static List<ColumnSpec> parse(JsonNode columnFields, String where) {
        if (columnFields == null || !columnFields.isArray()) {
            throw new MalformedEventException("schema of '" + where + "' has no fields");
        }
        List<ColumnSpec> out = new ArrayList<>(columnFields.size());
        for (JsonNode c : columnFields) {
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode p = c.get("parameters");
            if (p != null && p.isObject()) {
                p.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            }
            String name = c.path("field").asText(null);
            String type = c.path("type").asText(null);
            if (name == null || type == null) {
                throw new MalformedEventException("a column of '" + where + "' has no field name or type");
            }
            String logical = c.hasNonNull("name") ? c.get("name").asText() : null;
            out.add(new ColumnSpec(name, type, logical, params, c.path("optional").asBoolean(true)));
        }
        return out;
    }

    static ArrayNode write(List<ColumnSpec> columns) {
        ArrayNode fields = Json.MAPPER.createArrayNode();
        for (ColumnSpec c : columns) {
            ObjectNode f = fields.addObject();
            f.put("type", c.type());
            f.put("optional", c.optional());
            if (c.logical() != null) {
                f.put("name", c.logical());
            }
            if (!c.parameters().isEmpty()) {
                ObjectNode params = f.putObject("parameters");
                c.parameters().forEach(params::put);
            }
            f.put("field", c.name());
        }
        return fields;
    }
}
