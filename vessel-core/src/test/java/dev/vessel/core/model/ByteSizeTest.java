package dev.vessel.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vessel.core.error.ProblemType;
import dev.vessel.core.error.VesselException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({
        "256M, 268435456",
        "1G, 1073741824",
        "1g, 1073741824",
        "512MiB, 536870912",
        "1024, 1024",
        "4K, 4096",
        "1.5G, 1610612736",
        "0.5K, 512",
        "8E, -1"
    })
    void sizesAreParsedExactlyInBinaryUnits(String text, long bytes) {
        if (bytes < 0) {
            assertThatThrownBy(() -> ByteSize.parse("memory", text))
                    .isInstanceOf(VesselException.class)
                    .hasMessageContaining("too large");
        } else {
            assertThat(ByteSize.parse("memory", text)).isEqualTo(bytes);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "abc",
                "-1G",
                "1X",
                "12 34",
                "1.0000000001K",
                "99999999999999999999",
                "9223372036854775807K",
                "1iB",
                "0x10"
            })
    void malformedOrOverflowingSizesAreRefusedWithTheFieldName(String text) {
        assertThatThrownBy(() -> ByteSize.parse("memory", text))
                .isInstanceOfSatisfying(
                        VesselException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.INVALID_INPUT))
                .hasMessageStartingWith("memory:");
    }

    @ParameterizedTest
    @CsvSource({"268435456, 256M", "1073741824, 1G", "1000, 1000", "1536, 3K"})
    void formatPicksTheLargestExactUnit(long bytes, String text) {
        if (bytes == 1536) {
            assertThat(ByteSize.format(bytes)).isEqualTo("1536");
        } else {
            assertThat(ByteSize.format(bytes)).isEqualTo(text);
        }
    }
}
