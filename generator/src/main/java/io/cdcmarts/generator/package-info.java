/**
 * {@code cdc-marts generate}: the tutorial's e-commerce schema and fake data in PostgreSQL.
 *
 * <ul>
 *   <li>{@link io.cdcmarts.generator.Schema#create(java.sql.Connection)} creates the five tables (idempotent).</li>
 *   <li>{@link io.cdcmarts.generator.GeneratorConfig} is every option, parsed and validated once;
 *       {@code GeneratorConfig.builder(dsn)} starts from the tutorial's defaults.</li>
 *   <li>{@link io.cdcmarts.generator.BulkGenerator#run()} loads customers, products, variants, orders
 *       and items in one go, with COPY.</li>
 *   <li>{@link io.cdcmarts.generator.StreamingWorkload} keeps changing them at a steady rate on a thread
 *       of its own until closed: {@code start()}, then {@code close()}.</li>
 *   <li>{@link io.cdcmarts.generator.Generator} runs the three in order, as the command does;
 *       {@link io.cdcmarts.generator.GenerateCommand} is the picocli subcommand the launcher registers.</li>
 * </ul>
 */
package io.cdcmarts.generator;
