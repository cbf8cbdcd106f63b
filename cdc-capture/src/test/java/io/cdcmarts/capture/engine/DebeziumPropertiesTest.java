package io.cdcmarts.capture.engine;

import io.cdcmarts.capture.CaptureConfig;
import io.cdcmarts.common.PgDsn;
import io.cdcmarts.common.TopicNames;
import io.cdcmarts.common.cli.KafkaOptions.KafkaSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class DebeziumPropertiesTest {

    private static final PgDsn PG = PgDsn.parse("postgresql://cdc:secret@db.internal:6543/shop?sslmode=require");
    private static final KafkaSettings KAFKA = new KafkaSettings("kafka:9092", new TopicNames("shop"), 3, (short) 2,
            Map.of("security.protocol", "SSL"));

    @Test
    void wholeSchemaWithOurPublicationPreciseDecimalsTombstonesAndKafkaOffsets() {
        Properties p = DebeziumProperties.of(CaptureConfig.builder(PG, KAFKA).build(), List.of("audit_log"), true);

        assertThat(p).containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                .containsEntry("database.hostname", "db.internal")
                .containsEntry("database.port", "6543")
                .containsEntry("database.user", "cdc")
                .containsEntry("database.password", "secret")
                .containsEntry("database.dbname", "shop")
                .containsEntry("database.sslmode", "require")
                .containsEntry("topic.prefix", "shop")
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("retriable.restart.connector.wait.ms", "2000")
                .containsEntry("slot.name", "cdc_marts_shop")
                .containsEntry("publication.name", "cdc_marts_shop")
                .containsEntry("publication.autocreate.mode", "disabled")
                .containsEntry("schema.include.list", "public")
                .containsEntry("table.exclude.list", "public\\.audit_log")
                .containsEntry("decimal.handling.mode", "precise")
                .containsEntry("converters", "unconstrainednumeric,pgarray,composite")
                .containsEntry("composite.type", CompositeTypeConverter.class.getName())
                .containsEntry("include.unknown.datatypes", "true")
                .containsEntry("pgarray.type", PgArrayConverter.class.getName())
                .containsEntry("pgarray.jdbc.user", "cdc")
                .containsEntry("pgarray.jdbc.password", "secret")
                .containsEntry("unconstrainednumeric.type", UnconstrainedNumericConverter.class.getName())
                .containsEntry("post.processors", "reselector")
                .containsEntry("post.processors.reselector.type", PrimaryKeyChangeReselector.class.getName())
                .containsEntry("post.processors.reselector.reselect.null.values", "false")
                .containsEntry("tombstones.on.delete", "true")
                .containsEntry("snapshot.mode", "initial")
                .containsEntry("heartbeat.interval.ms", "10000")
                .containsEntry("max.batch.size", "4096")
                .containsEntry("max.queue.size", "16384")
                .containsEntry("offset.storage", "io.cdcmarts.capture.engine.ClosingKafkaOffsetBackingStore")
                .containsEntry("offset.storage.topic", "shop.capture.offsets")
                .containsEntry("offset.storage.partitions", "1")
                .containsEntry("offset.storage.replication.factor", "2")
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("security.protocol", "SSL")
                .doesNotContainKey("table.include.list")
                .containsEntry("heartbeat.action.query",
                        "SELECT pg_logical_emit_message(false, 'cdc-marts-heartbeat', '')")
                .containsEntry("message.prefix.include.list", "cdc-marts-heartbeat,cdc-marts-dropped")
                .doesNotContainKey("snapshot.max.threads");
    }

    @Test
    void incrementalInitialSnapshotRunsDebeziumWithoutOneAndThreadsReadTablesSideBySide() {
        Properties p = DebeziumProperties.of(CaptureConfig.builder(PG, KAFKA).snapshotMode("incremental")
                .snapshotThreads(3).build(), List.of(), true);

        assertThat(p).containsEntry("snapshot.mode", "no_data")
                .containsEntry("snapshot.max.threads", "3")
                .containsEntry("signal.data.collection", "cdc_marts.signal_shop");
    }

    @Test
    void noHeartbeatMessageWithoutThePrivilegeOrWithoutHeartbeats() {
        assertThat(DebeziumProperties.of(CaptureConfig.builder(PG, KAFKA).build(), List.of(), false))
                .doesNotContainKey("heartbeat.action.query");
        assertThat(DebeziumProperties.of(CaptureConfig.builder(PG, KAFKA).heartbeatInterval(java.time.Duration.ZERO)
                .build(), List.of(), true))
                .containsEntry("heartbeat.interval.ms", "0")
                .doesNotContainKey("heartbeat.action.query");
    }

    @Test
    void includeListOffsetsFileHeartbeatQueryAndPassThroughLast() {
        CaptureConfig config = CaptureConfig.builder(PG, KAFKA)
                .schema("sales.eu")
                .tables(List.of("orders", "order_items"))
                .heartbeatInterval(Duration.ofSeconds(3))
                .heartbeatActionQuery("UPDATE heartbeat SET at = now()")
                .offsetsFile(Path.of("/data/offsets.dat"))
                .debezium(Map.of("snapshot.mode", "no_data", "poll.interval.ms", "50", "max.batch.size", "512"))
                .build();

        Properties p = DebeziumProperties.of(config, List.of("ignored_when_listing"), true);

        assertThat(p).containsEntry("schema.include.list", "sales\\.eu")
                .containsEntry("table.include.list", "sales\\.eu\\.orders,sales\\.eu\\.order_items")
                .doesNotContainKey("table.exclude.list")
                .containsEntry("heartbeat.interval.ms", "3000")
                .containsEntry("heartbeat.action.query", "UPDATE heartbeat SET at = now()")
                .doesNotContainKey("message.prefix.include.list")
                .containsEntry("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore")
                .containsEntry("offset.storage.file.filename", "/data/offsets.dat")
                .doesNotContainKey("offset.storage.topic")
                .containsEntry("snapshot.mode", "no_data")
                .containsEntry("poll.interval.ms", "50")
                .containsEntry("max.batch.size", "512");
    }
}
