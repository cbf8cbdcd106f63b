package io.cdcmarts.processor.join;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.ArrayList;
import java.util.List;

/** One processor on a mock context with in-memory stores; what it forwards per input. */
final class Harness<KI, VI, KO, VO> {
    private final Processor<KI, VI, KO, VO> processor;
    private final MockProcessorContext<KO, VO> context = new MockProcessorContext<>();
    private final List<Record<KO, VO>> outs = new ArrayList<>();

    Harness(ProcessorSupplier<KI, VI, KO, VO> supplier) {
        context.setCurrentStreamTimeMs(0L); // a task that has read nothing yet
        for (StoreBuilder<?> builder : supplier.stores()) {
            KeyValueStore<?, ?> store = (KeyValueStore<?, ?>) builder.withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        processor = supplier.get();
        processor.init(context);
    }

    List<Record<KO, VO>> process(KI key, VI value) {
        return processAt(key, value, 0);
    }

    List<Record<KO, VO>> processAt(KI key, VI value, long offset) {
        return processAt(key, value, offset, 0L);
    }

    /** As a task whose stream time is {@code timestamp} or later would (the mock keeps the latest it was told). */
    List<Record<KO, VO>> processAt(KI key, VI value, long offset, long timestamp) {
        context.setRecordMetadata("raw", 0, offset);
        context.setCurrentStreamTimeMs(Math.max(context.currentStreamTimeMs(), timestamp));
        context.resetForwards();
        processor.process(new Record<>(key, value, timestamp));
        List<Record<KO, VO>> out = new ArrayList<>();
        for (CapturedForward<? extends KO, ? extends VO> f : context.forwarded()) {
            out.add(new Record<>(f.record().key(), f.record().value(), f.record().timestamp()));
        }
        outs.addAll(out);
        return out;
    }

    void deliver(List<? extends Record<KI, VI>> records) {
        records.forEach(r -> process(r.key(), r.value()));
    }

    List<Record<KO, VO>> outs() {
        return outs;
    }

    Record<KO, VO> latestOut() {
        return outs.get(outs.size() - 1);
    }
}
