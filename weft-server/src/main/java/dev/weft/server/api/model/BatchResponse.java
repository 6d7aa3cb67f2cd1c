package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Replies in command order, each {@code {"<method>": <result>}} or {@code {"error": {...}}}. */
@Doc("Replies in command order.")
public record BatchResponse(
        @Doc("Replies, each `{\"<method>\": <result>}` or `{\"error\": {...}}`.")
        @JsonInclude(JsonInclude.Include.ALWAYS) List<ObjectNode> replies) {
}
