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

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "postgres:/u:hunter2@127.0.0.1/db",
            "postgres:u:hunter2@127.0.0.1/db",
            "postgresql://u:hunter2@127.0.0.1:notaport/db",
            "postgresql://u:hunt@er2@[::1/db",
            "postgresql://u:hunter2@/db",
            "postgresql://u:hunter2@127.0.0.1:99999/db",
            "jdbc:postgresql://127.0.0.1:notaport/db?user=u&password=hunter2",
            "jdbc:postgresql://127.0.0.1:5432/d b?user=u&password=hunter2"})
    void aMalformedDsnIsNeverEchoedWithItsPassword(String dsn) {
        assertThatThrownBy(() -> PgDsn.parse(dsn))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("hunter2").hasMessageNotContaining("er2");
    }

    @Test
    void anUnencodedAtInThePasswordIsSaidSoNotABadPort() {
        assertThatThrownBy(() -> PgDsn.parse("postgresql://u:hun@ter2@127.0.0.1:1/db"))
                .hasMessageContaining("has an '@' in its user or password (write it as %40)")
                .hasMessageNotContaining("bad port").hasMessageNotContaining("ter2");
    }

    @Test
    void aBadPortIsReportedAsABadPortNotAMissingHost() {
        assertThatThrownBy(() -> PgDsn.parse("postgresql://u:hunter2@127.0.0.1:notaport/db"))
                .hasMessage("PostgreSQL DSN 'postgresql://u:***@127.0.0.1:notaport/db' has a bad port 'notaport'"
                        + " (a number from 1 to 65535 is expected)");
        assertThatThrownBy(() -> PgDsn.parse("postgresql://u@127.0.0.1:99999/db"))
                .hasMessageContaining("has a bad port 99999");
        assertThatThrownBy(() -> PgDsn.parse("postgresql://u:hunter2@/db")).hasMessageContaining("has no host");
        assertThat(PgDsn.parse("postgresql://u@[::1]:5433/db").port()).isEqualTo(5433);
    }

    @Test
    void redactsEveryFormOfPasswordInAText() {
        assertThat(Secrets.redact("DSN 'postgres:/u:hunter2@127.0.0.1/db' is not understood"))
                .isEqualTo("DSN 'postgres:***@127.0.0.1/db' is not understood");
        assertThat(Secrets.redact("postgresql://u:hun@ter2@h/db and postgresql://v:x@h/db"))
                .isEqualTo("postgresql://u:***@h/db and postgresql://v:***@h/db");
        assertThat(Secrets.redact("http://localhost:8080/health a@b.c at 10:00 x@y")).as("nothing to hide")
                .isEqualTo("http://localhost:8080/health a@b.c at 10:00 x@y");
    }

    @Test
    void roundTripsThroughTheUrlWithPassword() {
        PgDsn dsn = PgDsn.parse("postgresql://a%20b:p%3Aw@h:1/d");

        PgDsn again = PgDsn.parse(dsn.toUrlWithPassword());

        assertThat(again.user()).isEqualTo("a b");
        assertThat(again.password()).isEqualTo("p:w");
    }
}
