package io.cdcmarts.testing;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A single-node KRaft Kafka (broker and controller) in this JVM on a fixed port with its log on
 * disk, for {@code cdc-marts local}: the topics survive a restart, so the offsets that capture and
 * the sink stored stay meaningful. Tests use {@link EmbeddedKafka} (free ports, throwaway data).
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final String CLUSTER_ID = "Y2RjLW1hcnRzLWxvY2Fs"; // stable, so a kept data dir formats once

    private final KafkaRaftServer server;
    private final String bootstrap;

    private LocalKafkaBroker(KafkaRaftServer server, String bootstrap) {
        this.server = server;
        this.bootstrap = bootstrap;
    }

    /**
     * Formats {@code dataDir} if it is new and starts the node.
     *
     * @param port    the client port on localhost (e.g. 9092)
     * @param dataDir where the log lives
     * @throws IllegalStateException when the port is taken or the node does not start
     */
    public static LocalKafkaBroker start(int port, Path dataDir) {
        int controllerPort = freePort();
        assertFree(port);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + dataDir, e);
        }
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.toAbsolutePath().toString());
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.putAll(BrokerDefaults.TRANSACTIONS);
        try {
            KafkaConfig config = KafkaConfig.fromProps(p, false);
            new Formatter()
                    .setNodeId(1)
                    .setClusterId(CLUSTER_ID)
                    .setDirectories(java.util.List.of(dataDir.toAbsolutePath().toString()))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
                    .setIgnoreFormatted(true)
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run();
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            return new LocalKafkaBroker(server, "localhost:" + port);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not start the local Kafka broker on localhost:" + port
                    + " (data in " + dataDir + "): " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("could not format the Kafka data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is in use: is another Kafka running? Choose another with --kafka-port", e);
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
