package com.example.util;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** A top-level annotation type. */
@Retention(RetentionPolicy.RUNTIME)
public @interface Audited {
    String value() default "";
}
