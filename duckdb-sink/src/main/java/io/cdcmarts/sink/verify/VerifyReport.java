package io.cdcmarts.sink.verify;

import java.util.List;

/** What {@link MartVerifier} found: per mart, the row counts and every difference. */
public record VerifyReport(List<MartResult> marts) {

    public boolean allEqual() {
        return marts.stream().allMatch(MartResult::equal);
    }

    /** Human-readable report, one line per mart then the differing rows. */
    public String render(int maxDifferencesPerMart) {
        StringBuilder out = new StringBuilder();
        for (MartResult m : marts) {
            out.append(String.format("%-28s %s  batch %d rows, streamed %d rows%n", m.mart(),
                    m.equal() ? "OK  " : "DIFF", m.batchRows(), m.streamedRows()));
            m.differences().stream().limit(maxDifferencesPerMart).forEach(d -> out.append("    ").append(d).append('\n'));
            if (m.differences().size() > maxDifferencesPerMart) {
                out.append("    … ").append(m.differences().size() - maxDifferencesPerMart).append(" more\n");
            }
        }
        out.append(allEqual() ? "All marts equal their batch recomputation.\n"
                : "Marts differ from their batch recomputation.\n");
        return out.toString();
    }

    /**
     * @param mart         the mart name
     * @param batchRows    rows of the batch recomputation
     * @param streamedRows rows of the streamed table
     * @param differences  one line per missing, unexpected or differing row
     */
    public record MartResult(String mart, int batchRows, int streamedRows, List<String> differences) {
        public boolean equal() {
            return differences.isEmpty();
        }
    }
}
