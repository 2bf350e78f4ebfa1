package com.example.shop;

import java.util.List;
import java.util.Map;

/** An order: a class with a static nested type, an inner class, overloads and a constructor. */
public class Order implements Comparable<Order> {
    public static final int MAX_LINES = 100;
    private final String id;
    private final List<Line> lines;
    int a, b;

    public Order(String id, List<Line> lines) {
        this.id = id;
        this.lines = lines;
    }

    public String id() {
        return id;
    }

    public long total() {
        return lines.stream().mapToLong(Line::amount).sum();
    }

    public void add(Line line) {
    }

    public void add(String sku, int quantity) {
    }

    public void add(Map<String, List<Integer>> bulk, String... notes) {
    }

    @Override
    public int compareTo(Order other) {
        return id.compareTo(other.id);
    }

    /** A static nested record. */
    public record Line(String sku, long amount) {
        public Line {
            if (amount < 0) {
                throw new IllegalArgumentException("negative");
            }
        }
    }

    /** An inner class with its own member type. */
    class Audit {
        void log(String message) {
        }

        private static class Entry {
            String text;
        }
    }
}
