package dev.vessel.qemu.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {
    private final List<String> lines = new ArrayList<>();
    private final LineFramer framer = new LineFramer(1024);

    private void feed(String text) throws IOException {
        framer.feed(
                ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
                (buf, off, len) -> lines.add(new String(buf, off, len, StandardCharsets.UTF_8)));
    }

    @Test
    void severalMessagesInOneReadAreSplitAtNewlines() throws IOException {
        feed("{\"a\":1}\r\n{\"b\":2}\n{\"c\":3}\r\n");
        assertThat(lines).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
        assertThat(framer.pending()).isZero();
    }

    @Test
    void aMessageSplitAcrossReadsIsHeldUntilItsNewline() throws IOException {
        feed("{\"ret");
        feed("urn\": {}");
        assertThat(lines).isEmpty();
        assertThat(framer.pending()).isEqualTo(13);
        feed("}\r");
        assertThat(lines).isEmpty();
        feed("\n{\"next\"");
        assertThat(lines).containsExactly("{\"return\": {}}");
        assertThat(framer.pending()).isEqualTo("{\"next\"".length());
    }

    @Test
    void blankLinesAreSkipped() throws IOException {
        feed("\r\n\n{}\r\n\r\n");
        assertThat(lines).containsExactly("{}");
    }

    @Test
    void multiByteCharactersSplitAcrossReadsSurvive() throws IOException {
        byte[] bytes = "{\"desc\": \"Gerät ✓\"}\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            framer.feed(
                    ByteBuffer.wrap(new byte[] {b}),
                    (buf, off, len) -> lines.add(new String(buf, off, len, StandardCharsets.UTF_8)));
        }
        assertThat(lines).containsExactly("{\"desc\": \"Gerät ✓\"}");
    }

    @Test
    void aMessageLongerThanTheLimitWithoutNewlineIsRejected() throws IOException {
        feed("x".repeat(1000));
        assertThatThrownBy(() -> feed("y".repeat(100)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds 1024 bytes");
    }

    @Test
    void aBigMessageWithinTheLimitArrivesWhole() throws IOException {
        var big = new LineFramer(10 << 20);
        var got = new ArrayList<Integer>();
        String payload = "z".repeat(3 << 20);
        for (int i = 0; i < payload.length(); i += 65536) {
            big.feed(
                    ByteBuffer.wrap(payload.substring(i, Math.min(payload.length(), i + 65536))
                            .getBytes(StandardCharsets.US_ASCII)),
                    (buf, off, len) -> got.add(len));
        }
        big.feed(ByteBuffer.wrap("\n{}\n".getBytes(StandardCharsets.US_ASCII)), (buf, off, len) -> got.add(len));
        assertThat(got).containsExactly(3 << 20, 2);
        assertThat(big.pending()).isZero();
    }
}
