package io.cdcmarts.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cdcmarts.common.Json;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResultFormatTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final QueryResult result = new QueryResult(
            List.of(new QueryResult.Column("name", "VARCHAR"), new QueryResult.Column("revenue", "DECIMAL(18,2)")),
            List.of(List.<JsonNode>of(NODES.textNode("say \"hi\", then go"), NODES.numberNode(new BigDecimal("1000.50"))),
                    List.<JsonNode>of(NODES.nullNode(), NODES.numberNode(new BigDecimal("7.00")))),
            true, 12);

    private String print(ResultFormat format) {
        StringWriter out = new StringWriter();
        format.print(result, new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void csvQuotesWhatNeedsItAndLeavesNullEmpty() {
        assertThat(print(ResultFormat.CSV)).isEqualTo("name,revenue\n\"say \"\"hi\"\", then go\",1000.50\n,7.00\n");
    }

    @Test
    void tableAlignsNumbersRightAndSaysItIsTruncated() {
        assertThat(print(ResultFormat.TABLE)).isEqualTo("""
                name              | revenue
                ------------------+--------
                say "hi", then go | 1000.50
                NULL              |    7.00
                (2 rows, truncated: there are more)
                """);
    }

    @Test
    void jsonIsTheApiDocumentAndReadsBackExactly() throws Exception {
        JsonNode json = Json.MAPPER.readTree(print(ResultFormat.JSON));

        assertThat(json.get("rowCount").asInt()).isEqualTo(2);
        assertThat(json.get("truncated").asBoolean()).isTrue();
        QueryResult back = QueryResult.fromJson(json);
        assertThat(back.columns()).isEqualTo(result.columns());
        assertThat(back.rows().get(0).get(1).decimalValue()).isEqualTo(new BigDecimal("1000.50"));
    }
}
