package io.ast2graph.cli;

import java.util.Locale;

/** Parses sizes such as {@code 512m}, {@code 4MiB} or {@code 2g}. */
final class Sizes {
    private Sizes() {}

    static long parse(String text, String option) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long unit = 1;
        if (s.endsWith("k")) {
            unit = 1024;
        } else if (s.endsWith("m")) {
            unit = 1024 * 1024;
        } else if (s.endsWith("g")) {
            unit = 1024L * 1024 * 1024;
        }
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long value = Long.parseLong(digits.trim()) * unit;
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a positive size such as 512m or 2g, was '" + text + "'");
        }
    }
}
