package io.cdcmarts.processor.marts;

import io.cdcmarts.processor.marts.RevenueState.ItemLine;
import io.cdcmarts.processor.marts.RevenueState.ProductLabel;
import io.cdcmarts.processor.marts.RevenueState.VariantInfo;
import io.cdcmarts.processor.serde.Binary;
import io.cdcmarts.processor.serde.Binary.In;
import io.cdcmarts.processor.serde.Binary.Out;
import org.apache.kafka.common.serialization.Serde;

import java.time.LocalDate;
import java.util.TreeMap;

/**
 * The serdes of the marts' stores and internal topics, in the processor's own {@link Binary} form
 * (only the processor reads them; the mart topics stay JSON). Format 1 throughout; a field change
 * bumps the format of that serde, and old state is then refused with a pointer to {@code reprocess}.
 */
final class MartSerdes {

    private static final int FORMAT = 1;

    private final Serde<ItemLine> itemLine = Binary.serde("an order item line", FORMAT, MartSerdes::writeLine, MartSerdes::readLine);
    private final Serde<OrderLedger.LineChanged> lineChanged = Binary.serde("an order item change", FORMAT,
            (out, c) -> {
                out.varLong(c.itemId()).bool(c.line() != null);
                if (c.line() != null) {
                    writeLine(out, c.line());
                }
            },
            in -> new OrderLedger.LineChanged(in.varLong(), in.bool() ? readLine(in) : null));
    private final Serde<OrderLedger.State> orderState = Binary.serde("an order's ledger", FORMAT,
            (out, s) -> {
                out.bool(s.info() != null);
                if (s.info() != null) {
                    out.date(s.info().day()).optLong(s.info().customerId());
                }
                out.varLong(s.lines().size());
                s.lines().forEach((itemId, line) -> writeLine(out.varLong(itemId), line));
            },
            in -> {
                OrderInfo info = in.bool() ? new OrderInfo(in.date(), in.optLong()) : null;
                long n = in.varLong();
                TreeMap<Long, ItemLine> lines = new TreeMap<>();
                for (long i = 0; i < n; i++) {
                    lines.put(in.varLong(), readLine(in));
                }
                return new OrderLedger.State(info, lines);
            });
    private final Serde<LineSums> lineSums = Binary.serde("variant line totals", FORMAT, MartSerdes::writeLineSums, MartSerdes::readLineSums);
    private final Serde<SalesSums> salesSums = Binary.serde("sales totals", FORMAT, MartSerdes::writeSalesSums, MartSerdes::readSalesSums);
    private final Serde<TotalsLedger.State<LineSums, VariantInfo>> variantState = ledgerState("a variant's ledger",
            MartSerdes::writeLineSums, MartSerdes::readLineSums,
            (out, i) -> out.varLong(i.productId()).decimal(i.manufacturingPrice()).bool(i.staged())
                    .string(i.variantSku()).string(i.productName()).string(i.color()).string(i.size()),
            in -> new VariantInfo(in.varLong(), in.decimal(), in.bool(), in.string(), in.string(), in.string(), in.string()));
    private final Serde<TotalsLedger.State<SalesSums, ProductLabel>> productState = ledgerState("a product's ledger",
            MartSerdes::writeSalesSums, MartSerdes::readSalesSums,
            (out, l) -> out.string(l.name()).string(l.category()),
            in -> new ProductLabel(in.string(), in.string()));
    private final Serde<DaySums> daySums = Binary.serde("day totals", FORMAT,
            (out, d) -> out.varLong(d.orders()).varLong(d.units()).decimal(d.revenue()),
            in -> new DaySums(in.varLong(), in.varLong(), in.decimal()));
    private final Serde<Count> count = Binary.serde("a count", FORMAT, (out, c) -> out.varLong(c.n()), in -> new Count(in.varLong()));
    private final Serde<KpiSums> kpiSums = Binary.serde("kpi totals", FORMAT,
            (out, k) -> out.varLong(k.orders()).varLong(k.units()).decimal(k.revenue())
                    .varLong(k.customersWithOrders()).varLong(k.repeatCustomers()),
            in -> new KpiSums(in.varLong(), in.varLong(), in.decimal(), in.varLong(), in.varLong()));

    private final Serde<LocalDate> dayKey = Binary.serde("a day", FORMAT, Out::date, In::date);
    private final Serde<String> textKey = Binary.serde("a text key", FORMAT, Out::string, In::string);

    private static void writeLine(Out out, ItemLine l) {
        out.optLong(l.orderId()).optLong(l.variantId()).varLong(l.quantity()).decimal(l.unitPrice()).bool(l.staged());
    }

    /** A dimension ledger's state: its totals and its label, each there or not (the same bytes as before the fold). */
    private static <T, L> Serde<TotalsLedger.State<T, L>> ledgerState(String name, Binary.Writer<T> writeTotals, Binary.Reader<T> readTotals,
                                                                      Binary.Writer<L> writeLabel, Binary.Reader<L> readLabel) {
        return Binary.serde(name, FORMAT,
                (out, s) -> {
                    writeOptional(out, s.totals(), writeTotals);
                    writeOptional(out, s.label(), writeLabel);
                },
                in -> new TotalsLedger.State<>(in.bool() ? readTotals.read(in) : null, in.bool() ? readLabel.read(in) : null));
    }

    private static <T> void writeOptional(Out out, T value, Binary.Writer<T> write) {
        out.bool(value != null);
        if (value != null) {
            write.write(out, value);
        }
    }

    private static ItemLine readLine(In in) {
        return new ItemLine(in.optLong(), in.optLong(), in.varLong(), in.decimal(), in.bool());
    }

    private static void writeLineSums(Out out, LineSums s) {
        out.varLong(s.items()).varLong(s.units()).decimal(s.revenue())
                .varLong(s.stagedItems()).varLong(s.stagedUnits()).decimal(s.stagedRevenue());
    }

    private static LineSums readLineSums(In in) {
        return new LineSums(in.varLong(), in.varLong(), in.decimal(), in.varLong(), in.varLong(), in.decimal());
    }

    private static void writeSalesSums(Out out, SalesSums s) {
        out.varLong(s.count()).varLong(s.units()).decimal(s.revenue()).decimal(s.cost());
    }

    private static SalesSums readSalesSums(In in) {
        return new SalesSums(in.varLong(), in.varLong(), in.decimal(), in.decimal());
    }

    /** Days and texts (categories, the kpis scope) as keys of stores and repartition topics. */
    Serde<LocalDate> dayKey() { return dayKey; }
    Serde<String> textKey() { return textKey; }
    Serde<ItemLine> itemLine() { return itemLine; }
    Serde<OrderLedger.LineChanged> lineChanged() { return lineChanged; }
    Serde<OrderLedger.State> orderState() { return orderState; }
    Serde<LineSums> lineSums() { return lineSums; }
    Serde<TotalsLedger.State<LineSums, VariantInfo>> variantState() { return variantState; }
    Serde<SalesSums> salesSums() { return salesSums; }
    Serde<TotalsLedger.State<SalesSums, ProductLabel>> productState() { return productState; }
    Serde<DaySums> daySums() { return daySums; }
    Serde<Count> count() { return count; }
    Serde<KpiSums> kpiSums() { return kpiSums; }
}
