package io.cdcmarts.app.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TopicSightingsTest {

    private static int marker(String text) {
        return TopicSightings.marker(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMarkerIsKnownByItsDayInARowOrInAMartKey() {
        assertThat(marker("{\"before\":null,\"after\":{\"id\":9,\"order_date\":\"1800-01-01T12:00:00Z\",\"status\":\"paid\"}}")).isZero();
        assertThat(marker("{\"day\":\"1800-02-05\"}")).isEqualTo(35);
        assertThat(marker("{\"day\":\"1899-12-31\"}")).isEqualTo(36_523);
    }

    @Test
    void shopRowsAndTextThatIsNoDateAreNoMarkers() {
        assertThat(marker("{\"after\":{\"id\":1800,\"order_date\":\"2024-03-01T10:00:00Z\",\"total_amount\":1800.50}}")).isEqualTo(-1);
        assertThat(marker("{\"note\":\"1800-13-45\"}")).isEqualTo(-1); // digits, but no day
        assertThat(marker("\"1800-01-0")).isEqualTo(-1); // cut short
        assertThat(TopicSightings.marker(null)).isEqualTo(-1);
        assertThat(TopicSightings.marker(new byte[]{0, 1, 2})).isEqualTo(-1);
    }
}
