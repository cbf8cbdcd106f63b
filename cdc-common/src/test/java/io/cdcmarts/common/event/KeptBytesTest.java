package io.cdcmarts.common.event;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class KeptBytesTest {

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aValueUpToTheLimitIsKeptWhole() {
        for (int length : new int[]{0, 1, KeptBytes.WHOLE_LIMIT}) {
            byte[] value = random(length);

            KeptBytes kept = KeptBytes.of(value);

            assertThat(Base64.getDecoder().decode(kept.base64())).isEqualTo(value);
            assertThat(kept.truncated()).isFalse();
            assertThat(kept.length()).isNull();
            assertThat(kept.sha256()).isNull();
        }
    }

    @Test
    void aLargerValueKeepsItsPrefixItsLengthAndItsDigest() throws Exception {
        byte[] value = random(900 * 1024);

        KeptBytes kept = KeptBytes.of(value);

        assertThat(kept.truncated()).isTrue();
        assertThat(Base64.getDecoder().decode(kept.base64())).isEqualTo(Arrays.copyOf(value, KeptBytes.WHOLE_LIMIT));
        assertThat(kept.length()).isEqualTo(900L * 1024);
        assertThat(kept.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)));
    }

    @Test
    void aNullValueKeepsNothing() {
        assertThat(KeptBytes.of(null)).isNull();
    }

    @Test
    void aDeadLetterWithAPrefixFitsInARecordAndReadsBack() {
        byte[] value = random(1024 * 1024); // the broker's default limit
        DeadLetter dl = new DeadLetter("orders", null, List.of(new DeadLetter.Failure(DeadLetter.MALFORMED, null, null, "not JSON")),
                new DeadLetter.Source("shop.raw.orders", 0, 7, -1, null), Instant.parse("2024-03-01T10:00:00Z"),
                KeptBytes.of(value));

        byte[] bytes = dl.toBytes();

        assertThat(bytes.length).isLessThan(KeptBytes.WHOLE_LIMIT * 2);
        DeadLetter back = DeadLetter.parse(bytes);
        assertThat(back.rawBase64()).isEqualTo(dl.rawBase64()); // (a failure's null value reads back as NullNode)
        assertThat(back.rawLength()).isEqualTo(1024L * 1024);
        assertThat(back.rawSha256()).isEqualTo(dl.rawSha256());
        assertThat(new String(bytes)).contains("\"raw_length\":1048576", "\"raw_sha256\":\"" + dl.rawSha256() + "\"");
    }

    @Test
    void aDeadLetterWithItsBytesWholeWritesNoLengthOrDigest() {
        DeadLetter dl = new DeadLetter("orders", null, List.of(new DeadLetter.Failure(DeadLetter.MALFORMED, null, null, "not JSON")),
                new DeadLetter.Source("shop.raw.orders", 0, 7, -1, null), null, KeptBytes.of(new byte[]{1, 2}));

        assertThat(new String(dl.toBytes())).doesNotContain("raw_length", "raw_sha256").contains("\"raw_base64\":\"AQI=\"");
        DeadLetter back = DeadLetter.parse(dl.toBytes());
        assertThat(back.rawBase64()).isEqualTo("AQI=");
        assertThat(back.rawLength()).isNull();
        assertThat(back.rawSha256()).isNull();
    }
}
