package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.marts.RevenueState.ItemLine;
import io.cdcmarts.processor.serde.JsonSerde;
import org.apache.kafka.common.serialization.Serde;

/** The serdes of the marts' stores and internal topics. */
final class MartSerdes {

    private final Serde<ItemLine> itemLine = JsonSerde.of(ItemLine.class);
    private final Serde<OrderLedger.LineChanged> lineChanged = JsonSerde.of(OrderLedger.LineChanged.class);
    private final Serde<OrderLedger.State> orderState = JsonSerde.of(OrderLedger.State.class);
    private final Serde<LineSums> lineSums = JsonSerde.of(LineSums.class);
    private final Serde<VariantLedger.State> variantState = JsonSerde.of(VariantLedger.State.class);
    private final Serde<SalesSums> salesSums = JsonSerde.of(SalesSums.class);
    private final Serde<ProductLedger.State> productState = JsonSerde.of(ProductLedger.State.class);
    private final Serde<DaySums> daySums = JsonSerde.of(DaySums.class);
    private final Serde<Count> count = JsonSerde.of(Count.class);
    private final Serde<KpiSums> kpiSums = JsonSerde.of(KpiSums.class);

    Serde<ItemLine> itemLine() { return itemLine; }
    Serde<OrderLedger.LineChanged> lineChanged() { return lineChanged; }
    Serde<OrderLedger.State> orderState() { return orderState; }
    Serde<LineSums> lineSums() { return lineSums; }
    Serde<VariantLedger.State> variantState() { return variantState; }
    Serde<SalesSums> salesSums() { return salesSums; }
    Serde<ProductLedger.State> productState() { return productState; }
    Serde<DaySums> daySums() { return daySums; }
    Serde<Count> count() { return count; }
    Serde<KpiSums> kpiSums() { return kpiSums; }
}
