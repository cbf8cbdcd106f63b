package io.cdcmarts.sink.dlq;

import io.cdcmarts.common.Json;
import io.cdcmarts.common.event.DeadLetter;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DlqSummaryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private long offset;

    static DeadLetter deadLetter(String table, long id, String... checks) {
        List<DeadLetter.Failure> failures = java.util.Arrays.stream(checks)
                .map(c -> new DeadLetter.Failure(c, "col_" + c, Json.MAPPER.getNodeFactory().textNode("bad"), c + " failed"))
                .toList();
        return new DeadLetter(table, Json.MAPPER.createObjectNode().put("id", id),
                Json.MAPPER.createObjectNode().put("id", id).put("note", "x"), failures,
                new DeadLetter.Source("shop.raw." + table, 0, id, 1000 + id, T0), T0.plusSeconds(id), null);
    }

    private DlqEntry entry(String table, int secondsAfterT0, byte[] value) {
        long o = offset++;
        return DlqEntry.read("shop.dlq." + table, 0, o, T0.plusSeconds(secondsAfterT0).toEpochMilli(), table,
                ("{\"id\":" + o + "}").getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void countsRecordsPerTableAndOncePerFailedCheck() {
        DlqSummary s = new DlqSummary(20);
        s.add(entry("customers", 1, deadLetter("customers", 1, "pattern", "max").toBytes()));
        s.add(entry("customers", 2, deadLetter("customers", 2, "pattern", "pattern").toBytes()));
        s.add(entry("orders", 3, deadLetter("orders", 3, "accepted_values").toBytes()));
        s.add(entry("orders", 4, "{not json".getBytes(StandardCharsets.UTF_8)));

        assertThat(s.total()).isEqualTo(4);
        assertThat(s.byTable()).containsEntry("customers", 2L).containsEntry("orders", 2L);
        assertThat(s.byTableAndCheck().get("customers")).containsEntry("pattern", 2L).containsEntry("max", 1L).hasSize(2);
        assertThat(s.byTableAndCheck().get("orders")).containsEntry("accepted_values", 1L).containsEntry("malformed", 1L);
    }

    @Test
    void keepsOnlyTheLatestNByKafkaTimestampOldestFirst() {
        DlqSummary s = new DlqSummary(2);
        s.add(entry("orders", 30, deadLetter("orders", 1, "x").toBytes()));
        s.add(entry("orders", 10, deadLetter("orders", 2, "x").toBytes()));
        s.add(entry("customers", 20, deadLetter("customers", 3, "x").toBytes()));

        assertThat(s.latest()).extracting(e -> e.timestamp().getEpochSecond() - T0.getEpochSecond()).containsExactly(20L, 30L);
        assertThat(new DlqSummary(0)).satisfies(none -> {
            none.add(entry("orders", 1, deadLetter("orders", 1, "x").toBytes()));
            assertThat(none.latest()).isEmpty();
            assertThat(none.total()).isEqualTo(1);
        });
        assertThatThrownBy(() -> new DlqSummary(-1)).hasMessageContaining("--limit");
    }

    @Test
    void filtersByTableCheckAndSince() {
        DlqEntry customers = entry("customers", 10, deadLetter("customers", 1, "pattern", "max").toBytes());
        DlqEntry orders = entry("orders", 20, deadLetter("orders", 2, "accepted_values").toBytes());

        assertThat(DlqFilter.ALL.matches(customers)).isTrue();
        assertThat(new DlqFilter(Set.of("orders"), Set.of(), null).matches(customers)).isFalse();
        assertThat(new DlqFilter(Set.of(), Set.of("max", "not_null"), null).matches(customers)).isTrue();
        assertThat(new DlqFilter(Set.of(), Set.of("not_null"), null).matches(customers)).isFalse();
        DlqFilter since = new DlqFilter(Set.of(), Set.of(), T0.plusSeconds(20));
        assertThat(since.matches(customers)).isFalse();
        assertThat(since.matches(orders)).isTrue();
        assertThat(DlqFilter.names(List.of("orders, customers", "orders", " "))).containsExactly("customers", "orders");
    }

    @Test
    void sinceIsAnInstantOrADurationBackFromNow() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        assertThat(DlqFilter.parseSince("2025-12-31T23:00:00Z", clock)).isEqualTo(T0.minusSeconds(3600));
        assertThat(DlqFilter.parseSince("1h", clock)).isEqualTo(T0.minusSeconds(3600));
        assertThat(DlqFilter.parseSince("30m", clock)).isEqualTo(T0.minusSeconds(1800));
        assertThat(DlqFilter.parseSince("2d", clock)).isEqualTo(T0.minusSeconds(2 * 86400));
        assertThat(DlqFilter.parseSince("PT15M", clock)).isEqualTo(T0.minusSeconds(900));
        assertThat(DlqFilter.parseSince("", clock)).isNull();
        assertThatThrownBy(() -> DlqFilter.parseSince("yesterday", clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--since").hasMessageContaining("yesterday");
    }

    @Test
    void malformedDeadLettersShowTheirRawBytesSummarised() {
        byte[] garbage = {(byte) 0xC3, 0x28, 1, 2, 3};
        DeadLetter processorMalformed = new DeadLetter("orders", null, null,
                List.of(new DeadLetter.Failure(DeadLetter.MALFORMED, null, null, "not JSON")),
                new DeadLetter.Source("shop.raw.orders", 0, 5, -1, null), T0, Base64.getEncoder().encodeToString(garbage));
        DlqEntry binary = entry("orders", 1, processorMalformed.toBytes());
        DlqEntry unreadable = entry("orders", 2, "{not a dead letter".getBytes(StandardCharsets.UTF_8));

        assertThat(binary.checks()).containsExactly("malformed");
        assertThat(binary.rawSummary()).isEqualTo("5 bytes, base64 " + Base64.getEncoder().encodeToString(garbage));
        assertThat(unreadable.deadLetter()).isNull();
        assertThat(unreadable.rawSummary()).isEqualTo("18 bytes, text \"{not a dead letter\"");
        assertThat(DlqEntry.summarise("x".repeat(100).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("100 bytes, text \"" + "x".repeat(60) + "…\"");

        StringWriter text = new StringWriter();
        new DlqPrinter(new PrintWriter(text), false).record(binary);
        assertThat(text.toString()).contains("orders", "checks: malformed", "malformed: not JSON",
                "raw 5 bytes, base64", "source shop.raw.orders[0]@5", "dlq shop.dlq.orders[0]@");
    }

    @Test
    void printsCountsAndRecordsForPeopleAndForMachines() throws Exception {
        DlqSummary s = new DlqSummary(5);
        s.add(entry("customers", 1, deadLetter("customers", 7, "pattern", "max").toBytes()));

        StringWriter text = new StringWriter();
        new DlqPrinter(new PrintWriter(text), false).summary(s, DlqFilter.ALL, 5);
        assertThat(text.toString()).contains("Dead letters in 5 topics, every table, from the beginning: 1 records",
                "customers", "pattern", "max", "key {\"id\":7}", "col_pattern = \"bad\" pattern: pattern failed",
                "row {\"id\":7,\"note\":\"x\"}", "source shop.raw.customers[0]@7, lsn 1007");

        StringWriter json = new StringWriter();
        new DlqPrinter(new PrintWriter(json), true).summary(s, DlqFilter.ALL, 5);
        List<String> lines = json.toString().lines().toList();
        assertThat(lines).hasSize(2);
        var counts = Json.MAPPER.readTree(lines.get(0));
        assertThat(counts.path("total").asLong()).isEqualTo(1);
        assertThat(counts.path("tables").path("customers").path("checks").path("max").asLong()).isEqualTo(1);
        var record = Json.MAPPER.readTree(lines.get(1));
        assertThat(record.path("type").asText()).isEqualTo("dead_letter");
        assertThat(record.path("dead_letter").path("source").path("lsn").asLong()).isEqualTo(1007);
        assertThat(record.path("dlq").path("topic").asText()).isEqualTo("shop.dlq.customers");
    }
}
