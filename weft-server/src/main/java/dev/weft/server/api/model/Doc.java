package dev.weft.server.api.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents a server API type or field for the OpenAPI document, which is generated from the very records
 * the handlers (de)serialize. {@code required} marks request fields whose absence is an error.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface Doc {
    String value();

    boolean required() default false;
}
