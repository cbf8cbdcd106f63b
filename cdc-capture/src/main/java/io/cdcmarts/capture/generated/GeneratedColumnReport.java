package io.cdcmarts.capture.generated;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What capture tells at start-up about the generated columns of the captured tables when the
 * server does not stream them (PostgreSQL before 18): which ones it computes, and — as warnings —
 * which ones it cannot, so their streamed values stay null.
 */
public final class GeneratedColumnReport {

    private final List<String> computed = new ArrayList<>();
    private final List<String> untranslatable = new ArrayList<>();

    private GeneratedColumnReport() {
    }

    public static GeneratedColumnReport of(Collection<TableShape> shapes, int majorVersion) {
        GeneratedColumnReport report = new GeneratedColumnReport();
        for (TableShape shape : shapes) {
            for (GeneratedColumn g : shape.generatedColumns()) {
                if (g.expression() != null) {
                    report.computed.add(g.describe());
                } else {
                    report.untranslatable.add("Generated column " + g.describe() + " cannot be computed by capture ("
                            + g.reason() + "): PostgreSQL " + majorVersion + " does not stream generated columns,"
                            + " so its streamed events carry NULL for it (snapshot events have the stored value)."
                            + " PostgreSQL 18 streams it.");
                }
            }
        }
        return report;
    }

    /** The generated columns whose values capture computes, described. */
    public List<String> computed() {
        return List.copyOf(computed);
    }

    /** One warning per generated column capture cannot compute. */
    public List<String> warnings() {
        return List.copyOf(untranslatable);
    }
}
