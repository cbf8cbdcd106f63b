package io.cdcmarts.processor.reprocess;

import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The names of the internal topics of our topology under one application id, derived from the
 * topology itself rather than guessed from a prefix: {@code <application.id>-<store>-changelog} for
 * every store, {@code <application.id>-<name>} for every repartition and foreign-key join topic
 * (the topology names them without the application id). Matching by prefix alone would also catch
 * the topics of an application whose id merely starts with ours ({@code …-shop} and {@code …-shop-v2}).
 */
public final class InternalTopics {

    private InternalTopics() {
    }

    /**
     * @param isExternal whether a topic the topology reads or writes is one of ours (raw, stg, …)
     *                   rather than internal
     */
    public static Set<String> of(Topology topology, String applicationId, Predicate<String> isExternal) {
        Set<String> names = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    source.topicSet().stream().filter(isExternal.negate()).forEach(t -> names.add(applicationId + "-" + t));
                } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null && !isExternal.test(sink.topic())) {
                    names.add(applicationId + "-" + sink.topic());
                } else if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().forEach(store -> names.add(applicationId + "-" + store + "-changelog"));
                }
            }
        }
        return names;
    }

    /** Whether the application reads the topic (repartition and join topics; changelogs only restore). */
    public static boolean isSource(String topic) {
        return !topic.endsWith("-changelog");
    }
}
