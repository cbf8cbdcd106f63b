package io.cdcmarts.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicNamesTest {

    private final TopicNames topics = new TopicNames("shop");

    @Test
    void namesEveryLayer() {
        assertThat(topics.raw("orders")).isEqualTo("shop.raw.orders");
        assertThat(topics.stg("orders")).isEqualTo("shop.stg.orders");
        assertThat(topics.dlq("orders")).isEqualTo("shop.dlq.orders");
        assertThat(topics.mart("kpis")).isEqualTo("shop.mart.kpis");
    }

    @Test
    void parsesOnlyItsOwnTopics() {
        assertThat(topics.parse("shop.raw.order_items")).contains(new TopicNames.Parsed(TopicNames.Layer.RAW, "order_items"));
        assertThat(topics.parse("other.raw.orders")).isEmpty();
        assertThat(topics.parse("shop.raw.")).isEmpty();
        assertThat(topics.pattern(TopicNames.Layer.MART).matcher("shop.mart.kpis").matches()).isTrue();
        assertThat(topics.pattern(TopicNames.Layer.MART).matcher("shopXmart.kpis").matches()).isFalse();
    }

    @Test
    void rejectsAPrefixKafkaWouldNot() {
        assertThatThrownBy(() -> new TopicNames("my shop")).hasMessageContaining("my shop");
    }
}
