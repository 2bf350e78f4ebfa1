package com.example.shop;

import java.util.Optional;

/** A generic interface with a default method and a nested annotation. */
public interface Repository<T, K> {
    Optional<T> find(K key);

    void save(T value);

    default boolean exists(K key) {
        return find(key).isPresent();
    }

    @interface Table {
        String name();

        int version() default 1;
    }
}
