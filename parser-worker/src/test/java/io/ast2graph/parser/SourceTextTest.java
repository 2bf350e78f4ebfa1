package io.ast2graph.parser;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceTextTest {

    @Test
    void utf8IsDecodedAsIs() {
        SourceText text = SourceText.decode("class Grüße {}".getBytes(UTF_8));

        assertThat(text).isEqualTo(new SourceText("class Grüße {}", false));
    }

    @Test
    void byteOrderMarkIsDropped() {
        SourceText text = SourceText.decode(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'x'});

        assertThat(text).isEqualTo(new SourceText("x", false));
    }

    @Test
    void invalidUtf8IsReadAsLatin1() {
        // 0xE9 is é in Latin-1; in UTF-8 it opens a three-byte sequence that ';' does not continue.
        SourceText text = SourceText.decode(new byte[] {'a', (byte) 0xE9, ';'});

        assertThat(text).isEqualTo(new SourceText("aé;", true));
    }

    @Test
    void aReplacementCharacterWrittenOutIsValidUtf8() {
        SourceText text = SourceText.decode("String unknown = \"\uFFFD\";".getBytes(UTF_8));

        assertThat(text).isEqualTo(new SourceText("String unknown = \"\uFFFD\";", false));
    }

    @Test
    void aReplacementCharacterNextToMalformedInputIsStillLatin1() {
        byte[] replacement = "\uFFFD".getBytes(UTF_8);
        byte[] bytes = {replacement[0], replacement[1], replacement[2], (byte) 0xE9};

        assertThat(SourceText.decode(bytes).decodedAsLatin1()).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" has {1} lines")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
        ''              | 0
        a               | 1
        a\\n            | 1
        a\\nb           | 2
        a\\r\\nb\\r\\n  | 2
        a\\rb           | 2
        \\n\\n          | 2
        a\\n\\nb        | 3
        """)
    void linesEndAtAnyTerminatorAndALastLineWithoutOneCounts(String escaped, long lines) {
        String text = escaped.replace("\\n", "\n").replace("\\r", "\r");

        assertThat(SourceText.lineCount(text.getBytes(UTF_8))).isEqualTo(lines);
    }
}
