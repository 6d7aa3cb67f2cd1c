package dev.weft.server.api.model;

import java.util.List;
import java.util.Map;

/**
 * Many commands in one request. Each command is an object with exactly one key, the method name, whose value is
 * that method's request ({@code {"publish":{...}}}); its schema is generated from the method registry.
 */
@Doc("Many commands in one request, answered in order.")
public record BatchRequest(
        @Doc(value = "Commands, each `{\"<method>\": <request>}`.", required = true) List<Map<String, JsonPayload>> commands,
        @Doc("Run the commands concurrently (replies stay in request order).") boolean parallel) {
    public BatchRequest {
        commands = commands == null ? List.of() : commands;
    }
}
