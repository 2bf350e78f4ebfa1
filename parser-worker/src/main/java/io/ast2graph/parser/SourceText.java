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
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
                .toString();
            return new SourceText(text, false);
        } catch (CharacterCodingException notUtf8) {
            return new SourceText(new String(bytes, start, bytes.length - start, StandardCharsets.ISO_8859_1), true);
        }
    }

    private static boolean hasUtf8ByteOrderMark(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }

    /**
     * The number of lines as an editor shows them: {@code \n}, {@code \r\n} and {@code \r} end a line, a last line
     * without a terminator counts, and an empty text has no lines.
     */
    long lineCount() {
        long lines = 0;
        boolean lineOpen = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines++;
                lineOpen = false;
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else {
                lineOpen = true;
            }
        }
        return lineOpen ? lines + 1 : lines;
    }
}
