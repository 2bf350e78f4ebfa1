package io.ast2graph.parser;

/**
 * The folder a file's package folders start in: {@code src/main/java} for {@code src/main/java/com/x/Foo.java} in
 * package {@code com.x}. Type ids include it so that one binary name declared in two source roots of a repository
 * (test fixtures, multi-release folders) stays two types.
 */
final class SourceRoot {
    private SourceRoot() {}

    /**
     * @param path        the file's repository-relative path with {@code /} separators
     * @param packageName the file's package, {@code ""} for the default package
     * @return the file's folder without the package folders at its end; the whole folder when it does not end with
     *         them (a misplaced file), {@code ""} for a file whose folders are exactly its package
     */
    static String of(String path, String packageName) {
        int lastSlash = path.lastIndexOf('/');
        String folder = lastSlash < 0 ? "" : path.substring(0, lastSlash);
        if (packageName.isEmpty()) {
            return folder;
        }
        String packageFolders = packageName.replace('.', '/');
        if (folder.equals(packageFolders)) {
            return "";
        }
        // Compare whole folder names: "src/xcom/x" does not end with the folders of package com.x.
        if (folder.endsWith("/" + packageFolders)) {
            return folder.substring(0, folder.length() - packageFolders.length() - 1);
        }
        return folder;
    }
}
