package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.config.StoreType;
import io.cdcmarts.processor.serde.IdKeySerde;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A customer's kpi feed sums the differences of its revenue orders itself: what it sends for kpis
 * is always the difference between what the old and the new total add (one customer with orders,
 * from two on one repeat customer), and a total back at zero leaves its store.
 */
class KpiFeedTest {

    private final KpiFeed<Long, Count> feed = KpiFeed.ofDifferences("customer-kpi-feed", StoreType.IN_MEMORY,
            IdKeySerde.INSTANCE, new MartSerdes().count(), c -> KpiSums.ofCustomer(c.n()));
    private final Processor<Long, Count, Long, Share> processor = feed.get();
    private final MockProcessorContext<Long, Share> context = new MockProcessorContext<>();
    private final KeyValueStore<Long, Count> store = started();

    @Test
    void aCustomerNeverSeenStartsFromItsFirstDifference() {
        processor.process(new Record<>(7L, new Count(1), 1L));

        assertThat(sent()).containsExactly(kpis(1, 0));
        assertThat(store.get(7L)).isEqualTo(new Count(1));
    }

    @Test
    void theSecondOrderMakesARepeatCustomerAndRetractingItUndoesExactlyThat() {
        processor.process(new Record<>(7L, new Count(1), 1L));
        processor.process(new Record<>(7L, new Count(1), 2L));
        processor.process(new Record<>(7L, new Count(-1), 3L));

        assertThat(sent()).containsExactly(kpis(1, 0), kpis(0, 1), kpis(0, -1));
        assertThat(store.get(7L)).isEqualTo(new Count(1));
    }

    @Test
    void aTotalBackAtZeroLeavesTheStoreAndTheCustomerCountsNoMore() {
        processor.process(new Record<>(7L, new Count(2), 1L));
        processor.process(new Record<>(7L, new Count(-2), 2L));

        assertThat(sent()).containsExactly(kpis(1, 1), kpis(-1, -1));
        assertThat(store.get(7L)).isNull();
    }

    @Test
    void aRetractionThatArrivesFirstIsKeptUntilItsOrderArrives() {
        // differences from two tasks may arrive in either order: a -1 before its +1
        processor.process(new Record<>(7L, new Count(-1), 1L));
        processor.process(new Record<>(7L, new Count(1), 2L));

        // a negative total adds nothing, so nothing is sent, and the sum ends at zero
        assertThat(sent()).isEmpty();
        assertThat(store.get(7L)).isNull();
    }

    private KeyValueStore<Long, Count> started() {
        @SuppressWarnings("unchecked")
        KeyValueStore<Long, Count> s = (KeyValueStore<Long, Count>) feed.stores().iterator().next()
                .withCachingDisabled().withLoggingDisabled().build();
        s.init(context.getStateStoreContext(), s);
        context.addStateStore(s);
        processor.init(context);
        return s;
    }

    private List<KpiSums> sent() {
        return context.forwarded().stream().map(f -> ((Share.ToKpis) f.record().value()).delta()).toList();
    }

    private static KpiSums kpis(long customersWithOrders, long repeatCustomers) {
        return new KpiSums(0, 0, BigDecimal.ZERO, customersWithOrders, repeatCustomers);
    }
}
