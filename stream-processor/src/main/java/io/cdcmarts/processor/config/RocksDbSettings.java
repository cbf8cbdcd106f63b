package io.cdcmarts.processor.config;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;

import java.util.Map;

/**
 * RocksDB settings of every store.
 *
 * <ul>
 *   <li>LZ4 compression of the data files. Kafka Streams leaves them uncompressed, and the
 *       processor's rows repeat their column names and small numbers, so LZ4 (cheap enough to be
 *       invisible beside the rest of a record's work) shrinks the state on disk severalfold.</li>
 *   <li>One thread to open a store's data files ({@code max_file_opening_threads}, RocksDB's default
 *       16). RocksDB starts that many threads minus one at every open, even when there is no file to
 *       open, and joins them before the open returns. Kafka Streams opens the
 *       stores one after another on the stream thread, and after a {@code kill -9} every store of
 *       every task is new (32 per partition): that was 15 threads started and joined per store,
 *       each waiting for a core on a busy machine. A store here has few files (universal compaction
 *       keeps a few sorted runs), so the opening thread reads them itself.</li>
 * </ul>
 */
public final class RocksDbSettings implements RocksDBConfigSetter {

    /** RocksDB's {@code max_file_opening_threads} for every store. */
    static final int FILE_OPENING_THREADS = 1;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        options.setCompressionType(CompressionType.LZ4_COMPRESSION);
        options.setMaxFileOpeningThreads(FILE_OPENING_THREADS);
    }

    @Override
    public void close(String storeName, Options options) {
        // nothing allocated here
    }
}
