package dev.weft.yjs.update;

import java.util.Map;

/**
 * yjs's {@code parseUpdateMeta}: per client, the first clock ({@code from}) and the clock after the last
 * struct ({@code to}) the update holds. Maps iterate in the order clients appear in the update.
 */
public record UpdateMeta(Map<Long, Long> from, Map<Long, Long> to) {
  public UpdateMeta {
    from = java.util.Collections.unmodifiableMap(from);
    to = java.util.Collections.unmodifiableMap(to);
  }
}
