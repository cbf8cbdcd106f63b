package io.cdcmarts.app;

import io.cdcmarts.generator.EventKind;
import io.cdcmarts.generator.StreamingWorkload;
import io.cdcmarts.sink.verify.MartVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same end-to-end proof as {@link PipelineIT}, with the generator's continuous workload
 * ({@code generate --stream --rate}: inserts, status changes, price updates, deletes, chaos rows
 * and their fixes) writing while the checks read the live DuckDB file. Once the load stops, the
 * pipeline must converge: raw equals the source, {@code verify} finds every mart equal, and every
 * mart equals the PostgreSQL oracle.
 */
class PipelineUnderLoadIT {

    @TempDir
    static Path dir;

    static PipelineFixture pipeline;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = PipelineFixture.start("pipeline_load_it", "loadit", dir);
        pipeline.awaitRawEqualsSource();
    }

    @AfterAll
    static void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void martsConvergeToTheSourceOnceTheLoadStops() throws Exception {
        // Given a workload of every kind of change, chaos included, running against the pipeline
        StreamingWorkload workload = new StreamingWorkload(PipelineFixture.seed(pipeline.dsn())
                .rate(150).chaosPercent(15).seed(7).build());
        AtomicInteger checksUnderLoad = new AtomicInteger();
        try {
            workload.start();

            // When the checks read the live file while changes keep arriving (they need not agree yet,
            // but reading under load must work), until enough changes of each main kind went through
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                assertThat(workload.failure()).as("workload error").isNull();
                try (Connection duck = pipeline.sink().openReader()) {
                    new MartVerifier().verify(duck);
                    PostgresMartOracle.duckdb(duck);
                }
                PostgresMartOracle.compute(pipeline.dsn());
                checksUnderLoad.incrementAndGet();
                WorkloadProgress.assertCovered(workload.stats(), 800);
            });
        } finally {
            workload.close();
        }
        assertThat(workload.failure()).as("workload error").isNull();
        assertThat(checksUnderLoad).as("checks that ran while the load was on").hasValueGreaterThan(1);

        // Then, with the source quiet, every layer converges to it
        pipeline.awaitRawEqualsSource();
        pipeline.awaitMartsVerify();
        pipeline.awaitMartsEqualPostgresOracle();
    }

    /** What "the load exercised every kind of change" means for this test. */
    private static final class WorkloadProgress {
        private WorkloadProgress() {
        }

        static void assertCovered(StreamingWorkload.Stats stats, long minEvents) {
            assertThat(stats.events()).as("workload events so far").isGreaterThanOrEqualTo(minEvents);
            for (EventKind kind : new EventKind[]{EventKind.NEW_ORDER, EventKind.ORDER_PAID, EventKind.ORDER_SHIPPED,
                    EventKind.ORDER_CANCELLED, EventKind.VARIANT_PRICE, EventKind.ITEM_PRICE, EventKind.ITEM_QUANTITY,
                    EventKind.ITEM_MOVED, EventKind.ORDER_REDATED, EventKind.ORDER_RECUSTOMER,
                    EventKind.PRODUCT_RECATEGORIZED, EventKind.DELETE_ITEM, EventKind.DELETE_ORDER,
                    EventKind.BAD_ITEM, EventKind.BAD_STATUS, EventKind.MESSY_TEXT}) {
                assertThat(stats.applied(kind)).as("%s events applied", kind.label()).isPositive();
            }
        }
    }
}
