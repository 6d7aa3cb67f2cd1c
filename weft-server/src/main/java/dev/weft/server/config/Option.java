package dev.weft.server.config;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One supported option: where it lives ({@code key}, dotted, relative to its section for channel options),
 * how its value is read, where the value goes, and where its default comes from (the record defaults, so
 * the documentation cannot disagree with the code).
 *
 * @param <S> the record the default is read from
 * @param <B> the mutable draft the value is written to
 * @param <T> the value type
 */
record Option<S, B, T>(String key, OptionType type, String description, Values.Decoder<T> decoder,
                       Function<S, T> getter, BiConsumer<B, T> setter) {

    String defaultText(S defaults) {
        return type.format(getter.apply(defaults));
    }

    /** The same option one level down, e.g. a channel option placed under {@code channel.without_namespace}. */
    <S2, B2> Option<S2, B2, T> nested(String prefix, Function<S2, S> source, Function<B2, B> target) {
        return new Option<>(prefix + "." + key, type, description, decoder,
                s -> getter.apply(source.apply(s)), (b, v) -> setter.accept(target.apply(b), v));
    }
}
