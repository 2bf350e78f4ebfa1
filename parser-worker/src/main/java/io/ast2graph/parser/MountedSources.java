package io.ast2graph.parser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads files named by reference-mode messages from the source root this worker mounts (e.g. a read-only volume).
 * A message is untrusted input: a location that is absolute, climbs out with {@code ..}, or reaches outside the root
 * through a symbolic link is rejected, so no message can make a worker read a file outside its root.
 */
public final class MountedSources {
    private final Optional<Path> root;
    private final long maxBytes;

    /**
     * @param root     the folder reference locations are resolved against; empty if this worker has none, in which
     *                 case every reference is rejected
     * @param maxBytes files larger than this are rejected rather than read
     */
    public MountedSources(Optional<Path> root, long maxBytes) {
        this.root = root.map(r -> {
            try {
                return r.toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException("--source-root " + r + " does not exist or cannot be read", e);
            }
        });
        this.maxBytes = maxBytes;
    }

    /** Thrown for a reference this worker refuses or cannot read; the record goes to the dead-letter topic. */
    public static final class RejectedReferenceException extends Exception {
        public RejectedReferenceException(String message) {
            super(message);
        }

        public RejectedReferenceException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public byte[] read(String location) throws RejectedReferenceException {
        Path base = root.orElseThrow(() -> new RejectedReferenceException(
            "reference '" + location + "' but this worker has no --source-root to resolve it against"));
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw new RejectedReferenceException("reference '" + location + "' is not a valid path", e);
        }
        if (relative.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
            throw new RejectedReferenceException("reference '" + location + "' is absolute; it must be relative to the source root");
        }
        for (Path part : relative) {
            if (part.toString().equals("..")) {
                throw new RejectedReferenceException("reference '" + location + "' climbs out of the source root with '..'");
            }
        }
        Path resolved = base.resolve(relative).normalize();
        try {
            Path real = resolved.toRealPath();
            if (!real.startsWith(base)) {
                throw new RejectedReferenceException("reference '" + location + "' leads outside the source root through a symbolic link");
            }
            if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                throw new RejectedReferenceException("reference '" + location + "' is not a regular file");
            }
            long size = Files.size(real);
            if (size > maxBytes) {
                throw new RejectedReferenceException("reference '" + location + "' is " + size + " bytes, over the limit of " + maxBytes);
            }
            return Files.readAllBytes(real);
        } catch (IOException e) {
            throw new RejectedReferenceException("reference '" + location + "' cannot be read: " + e.getMessage(), e);
        }
    }
}
