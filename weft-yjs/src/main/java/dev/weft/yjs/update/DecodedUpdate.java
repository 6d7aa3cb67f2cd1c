package dev.weft.yjs.update;

import java.util.List;

/** An update read in full (yjs's {@code decodeUpdate}): its structs in the order written, and its delete set. */
public record DecodedUpdate(List<Struct> structs, DeleteSet deleteSet) {}
