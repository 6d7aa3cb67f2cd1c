package dev.weft.server.api.model;

@Doc("A boolean that may be absent.")
public record BoolValue(@Doc(value = "The value.", required = true) boolean value) {
}
