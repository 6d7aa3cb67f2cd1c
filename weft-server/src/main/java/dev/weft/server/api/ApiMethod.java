package dev.weft.server.api;

import java.util.function.Function;

/**
 * One server API method: its name (the path after {@code /api/}), its request and result records, an example
 * request, and the handler. The dispatcher, the HTTP routes and the OpenAPI document are all built from these,
 * so what is documented is what is served.
 *
 * @param name        method name, e.g. {@code publish}
 * @param summary     one line for the OpenAPI document
 * @param requestType record the request body is read into
 * @param resultType  record the handler returns
 * @param example     an example request body (JSON) that succeeds against a server with presence and history
 *                    enabled for channels without namespace; checked by a test
 * @param enveloped   whether the answer is wrapped as {@code {"result": …}} / {@code {"error": …}} (all but
 *                    {@code batch}, whose answer is {@code {"replies": […]}})
 * @param handler     runs the call; may block (it runs on a virtual thread); throws {@link ApiException} for
 *                    an error reply
 */
public record ApiMethod<Q, R>(String name, String summary, Class<Q> requestType, Class<R> resultType,
                              String example, boolean enveloped, Function<Q, R> handler) {

    public static <Q, R> ApiMethod<Q, R> of(String name, String summary, Class<Q> requestType, Class<R> resultType,
                                            String example, Function<Q, R> handler) {
        return new ApiMethod<>(name, summary, requestType, resultType, example, true, handler);
    }

    /** Runs the handler on an already decoded request. */
    public R call(Object request) {
        return handler.apply(requestType.cast(request));
    }
}
