package dev.weft.server.api;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server API's methods by name, in documentation order. Immutable, thread-safe. Built by
 * {@link ServerApi}; the HTTP routes, {@code batch} and the OpenAPI document all read it.
 */
public final class ApiMethods {
    private final Map<String, ApiMethod<?, ?>> byName = new LinkedHashMap<>();

    public ApiMethods(List<ApiMethod<?, ?>> methods) {
        for (ApiMethod<?, ?> m : methods) {
            if (byName.put(m.name(), m) != null) {
                throw new IllegalArgumentException("method " + m.name() + " registered twice");
            }
        }
    }

    /** The method of that name, or null. */
    public ApiMethod<?, ?> get(String name) {
        return byName.get(name);
    }

    public Collection<ApiMethod<?, ?>> all() {
        return List.copyOf(byName.values());
    }
}
