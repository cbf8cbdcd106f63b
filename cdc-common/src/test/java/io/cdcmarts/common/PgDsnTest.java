package io.cdcmarts.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgDsnTest {

    @Test
    void parsesTheSeedForm() {
        PgDsn dsn = PgDsn.parse("postgresql://shop:s3cr%40t@db.local:5433/ecommerce?sslmode=disable");

        assertThat(dsn.host()).isEqualTo("db.local");
        assertThat(dsn.port()).isEqualTo(5433);
        assertThat(dsn.database()).isEqualTo("ecommerce");
        assertThat(dsn.user()).isEqualTo("shop");
        assertThat(dsn.password()).isEqualTo("s3cr@t");
        assertThat(dsn.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5433/ecommerce?sslmode=disable");
    }

    @Test
    void parsesTheJdbcFormWithCredentialsInParameters() {
        PgDsn dsn = PgDsn.parse("jdbc:postgresql://localhost/shop?user=u&password=p");

        assertThat(dsn.port()).isEqualTo(5432);
        assertThat(dsn.user()).isEqualTo("u");
        assertThat(dsn.password()).isEqualTo("p");
        assertThat(dsn.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/shop");
    }

    @Test
    void neverShowsThePassword() {
        PgDsn dsn = PgDsn.parse("postgresql://shop:hunter2@db:5432/ecommerce");

        assertThat(dsn.toString()).doesNotContain("hunter2").contains("***");
        assertThatThrownBy(() -> PgDsn.parse("mysql://shop:hunter2@db/x"))
                .hasMessageNotContaining("hunter2").hasMessageContaining("not understood");
        assertThat(Secrets.redact("jdbc:postgresql://h/db?user=a&password=hunter2&ssl=true"))
                .doesNotContain("hunter2");
    }

    @Test
    void roundTripsThroughTheUrlWithPassword() {
        PgDsn dsn = PgDsn.parse("postgresql://a%20b:p%3Aw@h:1/d");

        PgDsn again = PgDsn.parse(dsn.toUrlWithPassword());

        assertThat(again.user()).isEqualTo("a b");
        assertThat(again.password()).isEqualTo("p:w");
    }
}
