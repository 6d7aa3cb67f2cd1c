package dev.weft.server.api.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Many commands in one request. Each command is an object with exactly one key, the method name, whose value is
 * that method's request ({@code {"publish":{...}}}); its schema is generated from the method registry.
 */
@Doc("Many commands in one request, answered in order.")
public record BatchRequest(
        @Doc(value = "Commands, each `{\"<method>\": <request>}`.", required = true) List<ObjectNode> commands,
        @Doc("Run the commands concurrently (replies stay in request order).") boolean parallel) {
    public BatchRequest {
        commands = commands == null ? List.of() : commands;
    }
}
