package io.ast2graph.parser;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A source file's text.
 *
 * @param text            the decoded characters, without a byte order mark
 * @param decodedAsLatin1 true when the bytes were not valid UTF-8 and were read as ISO-8859-1 instead
 */
record SourceText(String text, boolean decodedAsLatin1) {

    /**
     * Decodes UTF-8, the encoding of nearly all Java sources today. Bytes that are not valid UTF-8 are read as
     * ISO-8859-1, which maps every byte to a character and so never fails: legacy sources are mostly Latin-1 or
     * Windows-1252, and either way the Java syntax (ASCII) survives; only non-ASCII names and literals may be wrong.
     */
    static SourceText decode(byte[] bytes) {
        int start = hasUtf8ByteOrderMark(bytes) ? 3 : 0;
        // The String constructor is the JDK's fastest decoder (vectorized), and it replaces malformed input with
        // U+FFFD: without one in its result, the bytes were valid UTF-8. Only a file that holds U+FFFD (malformed,
        // or written out) pays for a strict decode, which tells the two apart.
        String text = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            return new SourceText(text, false);
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, start, bytes.length - start));
            return new SourceText(text, false);
        } catch (CharacterCodingException notUtf8) {
            return new SourceText(new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1), true);
        }
    }

    private static boolean hasUtf8ByteOrderMark(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }

    /**
     * The number of lines of a source file's bytes as an editor shows them: {@code \n}, {@code \r\n} and
     * {@code \r} end a line, a last line without a terminator counts, and an empty file has no lines. Counted on
     * the bytes, which is faster than on the text and gives the same count: in UTF-8 and ISO-8859-1 alike, the
     * bytes 0x0A and 0x0D stand for those two characters only.
     */
    static long lineCount(byte[] bytes) {
        long lines = 0;
        int last = bytes.length - 1;
        for (int i = 0; i <= last; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                lines++;
            } else if (b == '\r') {
                lines++;
                if (i < last && bytes[i + 1] == '\n') {
                    i++;
                }
            }
        }
        if (bytes.length > 0 && bytes[last] != '\n' && bytes[last] != '\r') {
            lines++;
        }
        return lines;
    }
}
