package io.ast2graph.producer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex SHA-256 of bytes or of a file. Reuses one digest and one buffer, so it is not thread-safe. */
final class Sha256 {
    /** The hash of a file and the number of bytes hashed, which is its size at the moment it was read. */
    record FileDigest(String sha256, long size) {}

    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest digest;
    private final byte[] buffer = new byte[64 * 1024];

    Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's Javadoc): this cannot happen.
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    String of(byte[] bytes) {
        // A read that failed midway in of(Path) may have left bytes in the digest.
        digest.reset();
        return HEX.formatHex(digest.digest(bytes));
    }

    /** Streams the file, so that a large file never needs to fit in memory. */
    FileDigest of(Path file) throws IOException {
        digest.reset();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
                size += n;
            }
        }
        return new FileDigest(HEX.formatHex(digest.digest()), size);
    }
}
