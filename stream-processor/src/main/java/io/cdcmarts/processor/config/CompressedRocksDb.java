package io.cdcmarts.processor.config;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

import java.util.Map;

/**
 * RocksDB settings of every store: LZ4 compression of the data files. Kafka Streams leaves them
 * uncompressed, and the processor's rows repeat their column names and small numbers, so LZ4 (cheap
 * enough to be invisible beside the rest of a record's work) shrinks the state on disk severalfold.
 */
public final class CompressedRocksDb implements RocksDBConfigSetter {

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setCompressionType(CompressionType.LZ4_COMPRESSION);
    }

    @Override
    public void close(String storeName, Options options) {
        // nothing allocated here
    }
}
