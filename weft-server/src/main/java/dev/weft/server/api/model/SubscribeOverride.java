package dev.weft.server.api.model;

@Doc("Channel options overridden for this subscription only.")
public record SubscribeOverride(
        @Doc("Override `presence`.") BoolValue presence,
        @Doc("Override `join_leave`.") BoolValue joinLeave,
        @Doc("Override `force_recovery`.") BoolValue forceRecovery,
        @Doc("Override `force_positioning`.") BoolValue forcePositioning,
        @Doc("Override `force_push_join_leave`.") BoolValue forcePushJoinLeave) {
}
