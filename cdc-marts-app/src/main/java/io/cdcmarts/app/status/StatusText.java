package io.cdcmarts.app.status;

import java.time.Duration;
import java.util.Map;

/** The report as a person reads it at a terminal. */
public final class StatusText {

    private StatusText() {
    }

    public static String render(StatusReport r) {
        StringBuilder out = new StringBuilder();
        out.append("cdc-marts status at ").append(r.at()).append('\n');

        out.append("\nReplication slot\n");
        SlotLag s = r.slot();
        if (s == null) {
            out.append("  not checked: no --pg-url (CDC_PG_URL)\n");
        } else if (s.error() != null) {
            out.append("  ").append(s.slot()).append(": unavailable: ").append(s.error()).append('\n');
        } else if (!s.found()) {
            out.append("  ").append(s.slot()).append(": no such slot (capture has not started yet?)\n");
        } else {
            out.append(String.format("  %s: %s, lag %s, retained WAL %s%n", s.slot(), s.active() ? "active" : "INACTIVE",
                    bytes(s.lagBytes()), bytes(s.retainedBytes())));
        }

        out.append("\nConsumer lag (messages)\n");
        for (GroupLag g : r.consumers()) {
            if (g.error() != null) {
                out.append(String.format("  %-9s %s: %s%n", g.role(), g.group(), g.error()));
                continue;
            }
            out.append(String.format("  %-9s %s (%s): %d behind%n", g.role(), g.group(), g.state(), g.total()));
            g.lagByTopic().forEach((topic, lag) -> {
                if (lag > 0) {
                    out.append(String.format("    %-48s %d%n", topic, lag));
                }
            });
        }

        out.append("\nDuckDB\n");
        LayerFacts l = r.layers();
        if (l.error() != null) {
            out.append("  unavailable: ").append(l.error()).append('\n');
        } else {
            out.append("  read from ").append(l.source()).append('\n');
            out.append("  freshness ").append(l.freshness() == null ? "n/a (nothing applied yet)" : duration(l.freshness()))
                    .append(l.newestSourceTs() == null ? "" : " (newest source commit " + l.newestSourceTs() + ")").append('\n');
            for (String layer : LayerProbe.LAYERS) {
                Map<String, Long> tables = l.rowsByTable().getOrDefault(layer, Map.of());
                out.append(String.format("  %-8s %,12d rows in %d tables%n", layer, l.rows(layer), tables.size()));
            }
            out.append(String.format("  open failures %,d%n", l.openFailures() == null ? 0 : l.openFailures()));
        }

        out.append("\nServices\n");
        for (ServiceHealth h : r.services()) {
            out.append(String.format("  %-9s %-11s %s%n", h.service(), h.status(), h.url()));
            if (h.lastError() != null) {
                out.append("            last error").append(h.lastErrorAt() == null ? "" : " at " + h.lastErrorAt())
                        .append(": ").append(h.lastError()).append('\n');
            }
        }
        return out.toString();
    }

    static String bytes(Long n) {
        if (n == null) {
            return "n/a";
        }
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024L * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format("%.2f GiB", n / (1024.0 * 1024 * 1024));
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 0) {
            return "0 s (source clock ahead by " + (-ms) + " ms)";
        }
        if (ms < 60_000) {
            return String.format("%.1f s", ms / 1000.0);
        }
        return String.format("%d min %d s", d.toMinutes(), d.toSecondsPart());
    }
}
