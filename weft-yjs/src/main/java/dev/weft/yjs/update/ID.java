package dev.weft.yjs.update;

/** A struct's identity: the client that created it and its clock (position in that client's sequence). */
public record ID(long client, long clock) {}
