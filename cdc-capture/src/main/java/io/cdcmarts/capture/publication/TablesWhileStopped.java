package io.cdcmarts.capture.publication;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What happened to the captured tables while capture was stopped, which the keeper cannot see: it
 * compares its own looks, and a stopped capture takes none. Capture remembers no table of its own;
 * the raw topics say what was sent downstream, and the publication (a {@code FOR TABLE} list, whose
 * entries PostgreSQL removes with their table) what was captured when capture stopped.
 *
 * <ul>
 *   <li>{@link #gone()}: tables whose copy downstream is no longer theirs. A topic whose table is
 *       not there any more (dropped, or renamed, while capture was stopped), and a captured table
 *       with a topic that the publication does not hold (dropped and created again, or taken back
 *       into capture after it was left out). Each gets the drop marker ({@link TableDrops}); one
 *       that is there is then sent whole, as every newly published table is.</li>
 *   <li>{@link #unsent()}: captured tables the publication holds but that have no topic yet: renamed
 *       while capture was stopped (the publication keeps a renamed table), or published by the
 *       keeper just before a stop. Their rows are only downstream once they are sent whole.</li>
 * </ul>
 *
 * @param gone   sorted
 * @param unsent sorted
 */
public record TablesWhileStopped(List<String> gone, List<String> unsent) {

    /** Nothing to do: a first start, or a capture of listed tables. */
    public static final TablesWhileStopped NONE = new TablesWhileStopped(List.of(), List.of());

    /**
     * @param withTopic the tables that have a raw topic
     * @param existing  every table of the schema now
     * @param captured  the tables capture takes now
     * @param published the publication's tables of the schema, before capture brings it up to date;
     *                  empty when there is no publication (then nothing can be told of a table that exists)
     */
    public static TablesWhileStopped between(Collection<String> withTopic, Collection<String> existing,
                                             Collection<String> captured, Optional<Set<String>> published) {
        List<String> gone = withTopic.stream()
                .filter(t -> !existing.contains(t)
                        || published.isPresent() && captured.contains(t) && !published.get().contains(t))
                .sorted().toList();
        List<String> unsent = published.isEmpty() ? List.of() : captured.stream()
                .filter(t -> published.get().contains(t) && !withTopic.contains(t))
                .sorted().toList();
        return new TablesWhileStopped(gone, unsent);
    }
}
