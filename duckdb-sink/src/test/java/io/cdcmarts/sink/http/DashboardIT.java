package io.cdcmarts.sink.http;

import io.cdcmarts.sink.testing.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real headless Chromium, served by a real sink that consumes from the real
 * broker: what the page shows equals what DuckDB holds, and a dead letter produced after the first
 * load shows on the next. Skipped when no Chromium is installed, unless {@code CDC_BROWSER_REQUIRED=1}.
 */
class DashboardIT {

    /** Virtual time for the page: its first poll and a couple more every 2 s. */
    private static final int BUDGET_MS = 5_000;

    @TempDir
    Path dir;

    private Chromium chromium;

    @BeforeEach
    void browser() {
        Optional<Chromium> found = Chromium.find();
        if (found.isEmpty() && Chromium.required()) {
            fail("no chromium on the PATH (apt-get install -y chromium) and " + Chromium.REQUIRED_ENV + "=1");
        }
        assumeTrue(found.isPresent(), "no chromium on the PATH: apt-get install -y chromium to run the dashboard test");
        chromium = found.get();
    }

    @Test
    void showsWhatDuckDbHoldsAndANewDeadLetterOnTheNextPoll() throws Exception {
        // Given a running sink that consumed a small shop
        ShopTopics shop = new ShopTopics("dash" + UUID.randomUUID().toString().substring(0, 8));
        shop.sendShop();
        try (RunningSink s = new RunningSink(shop.prefix, dir.resolve("shop.duckdb"))) {
            s.awaitCaughtUp(shop);

            // When the page is loaded
            String dom = chromium.dumpDom(s.url("/"), BUDGET_MS);

            // Then its numbers are DuckDB's
            try (Connection c = s.sink.openReader()) {
                var kpis = Rows.query(c, "SELECT orders, revenue, customers_with_orders FROM mart.kpis").get(0);
                assertThat(value(dom, "kpi-orders")).isEqualTo(kpis.get("orders").toString());
                assertThat(new BigDecimal(value(dom, "kpi-revenue"))).isEqualByComparingTo((BigDecimal) kpis.get("revenue"));
                assertThat(text(dom, "kpi-revenue")).isEqualTo("1,234.50");
                assertThat(value(dom, "kpi-customers")).isEqualTo(kpis.get("customers_with_orders").toString());
                assertThat(value(dom, "open-failures")).isEqualTo(Long.toString(Rows.count(c, "quality.open_failures")));
                assertThat(value(dom, "dead-letters")).isEqualTo(Long.toString(Rows.count(c, "quality.dead_letters")));
            }
            assertThat(text(dom, "status")).isEqualTo("running");
            assertThat(value(dom, "lag")).isEqualTo("0");
            assertThat(dom).doesNotContain("The sink does not answer");
            assertThat(rows(dom, "top-skus")).containsExactly(
                    List.of("1", "HOOD-BLK-L", "Classic Hoodie", "3", "1,000.00"),
                    List.of("2", "SHOE-WHT-42", "Court Sneaker", "2", "234.50"));
            assertThat(rows(dom, "dlq-by-check")).containsExactly(
                    List.of("orders", "accepted_values", "1"), List.of("orders", "not_null", "1"));
            assertThat(dom).contains("data-day=\"2024-03-11\"").contains("data-day=\"2024-03-12\"");

            // When a new dead letter is produced while the sink runs
            shop.sendDeadLetter("customers", 42, "pattern", "email");
            s.awaitCaughtUp(shop);
            String next = chromium.dumpDom(s.url("/"), BUDGET_MS);

            // Then the page shows it
            assertThat(value(next, "dead-letters")).isEqualTo("3");
            assertThat(rows(next, "dlq-by-check")).contains(List.of("customers", "pattern", "1"));
            assertThat(rows(next, "latest-dead-letters").get(0)).containsSubsequence("customers", "{\"id\":42}", "pattern");

            // And a screenshot, kept where -Dcdc.dashboard.screenshot=PATH says (to look at it)
            Path png = Path.of(System.getProperty("cdc.dashboard.screenshot", dir.resolve("dashboard.png").toString()));
            chromium.screenshot(s.url("/"), png, 1440, 1000, BUDGET_MS);
            assertThat(Files.size(png)).isPositive();
        }
    }

    /** The {@code data-value} of the element with this id. */
    private static String value(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*data-value=\"([^\"]*)\"").matcher(dom);
        assertThat(m.find()).as("element #%s with a data-value in the page", id).isTrue();
        return m.group(1);
    }

    /** The text of the element with this id (no nested elements). */
    private static String text(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]*)<").matcher(dom);
        assertThat(m.find()).as("element #%s in the page", id).isTrue();
        return unescape(m.group(1));
    }

    /** The cell texts of each row of the table body with this id. */
    private static List<List<String>> rows(String dom, String id) {
        Matcher body = Pattern.compile("<tbody id=\"" + id + "\">(.*?)</tbody>", Pattern.DOTALL).matcher(dom);
        assertThat(body.find()).as("table body #%s in the page", id).isTrue();
        List<List<String>> out = new ArrayList<>();
        Matcher row = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(body.group(1));
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(row.group(1));
            while (cell.find()) {
                cells.add(unescape(cell.group(1).replaceAll("<[^>]+>", "")));
            }
            out.add(cells);
        }
        return out;
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
