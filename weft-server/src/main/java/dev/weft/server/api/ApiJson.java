package dev.weft.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.weft.server.api.model.JsonPayload;

import java.io.IOException;

/**
 * The server API's JSON mapping: snake_case field names as in Centrifugo, unknown fields ignored (as Centrifugo
 * does, so newer clients keep working), but no silent type coercion ({@code "channel": 1},
 * {@code "limit": "5"} and {@code "code": 3000.5} are malformed requests, HTTP 400), no trailing garbage.
 * Results omit empty and zero fields unless annotated {@code @JsonInclude(ALWAYS)}, matching Centrifugo's
 * encoder field by field.
 *
 * <p>Thread-safe once built.
 */
public final class ApiJson {
    private static final ObjectMapper MAPPER = create();

    private ApiJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads {@code json} into {@code type}, handing the bytes to every {@link JsonPayload} inside so payloads
     * keep their exact bytes.
     */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readerFor(type).withAttribute(JsonPayload.SOURCE, json).readValue(json);
    }

    private static ObjectMapper create() {
        JsonMapper mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_DEFAULT,
                        JsonInclude.Include.NON_DEFAULT))
                .build();
        for (CoercionInputShape shape : new CoercionInputShape[]{
                CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }
}
