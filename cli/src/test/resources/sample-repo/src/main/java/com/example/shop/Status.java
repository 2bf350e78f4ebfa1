package com.example.shop;

/** An enum with a constructor, a field and a constant body. */
public enum Status {
    NEW("n"),
    PAID("p") {
        @Override
        boolean isFinal() {
            return true;
        }
    },
    CANCELLED("c");

    private final String code;

    Status(String code) {
        this.code = code;
    }

    boolean isFinal() {
        return false;
    }

    String code() {
        return code;
    }
}
