package io.cdcmarts.processor.config;

import org.junit.jupiter.api.Test;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RocksDbSettingsTest {

    @Test
    void everyStoreIsCompressedAndOpensItsFilesOnTheOpeningThread() {
        // Given RocksDB's defaults
        try (Options options = new Options()) {
            assertThat(options.maxFileOpeningThreads()).as("RocksDB's default").isEqualTo(16);

            // When the processor's settings are applied to a store
            new RocksDbSettings().setConfig("order-ledger", options, Map.of());

            // Then its data files are LZ4-compressed and no thread is started to open them
            assertThat(options.compressionType()).isEqualTo(CompressionType.LZ4_COMPRESSION);
            assertThat(options.maxFileOpeningThreads()).isEqualTo(1);
        }
    }
}
