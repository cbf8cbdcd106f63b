package io.cdcmarts.processor.config;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Where the topology keeps its state: RocksDB on disk (production) or the heap (tests, benchmarks). */
public enum StoreType {
    ROCKSDB, IN_MEMORY;

    /** The store implementation the DSL operators use. */
    public Class<? extends DslStoreSuppliers> dslStoreSuppliers() {
        return this == ROCKSDB ? BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers.class
                : BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class;
    }

    /** A key-value store of the processors the topology writes itself, changelogged like the DSL's. */
    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValueStore(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(
                this == ROCKSDB ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name),
                keySerde, valueSerde);
    }
}
