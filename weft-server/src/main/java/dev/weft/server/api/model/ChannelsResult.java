package dev.weft.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

@Doc("Active channels.")
public record ChannelsResult(
        @Doc("Channel → info.") @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, ChannelInfo> channels) {
}
