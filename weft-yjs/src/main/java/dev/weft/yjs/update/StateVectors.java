package dev.weft.yjs.update;

import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.Lib0Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** State vectors (client → next expected clock), always in the v1 layout as yjs exchanges them. */
public final class StateVectors {
  private StateVectors() {}

  /** yjs's {@code decodeStateVector}; a repeated client takes the last clock. */
  public static Map<Long, Long> decode(byte[] stateVector) throws YjsFormatException {
    Lib0Reader reader = new Lib0Reader(stateVector);
    long count = reader.readVarUint();
    Map<Long, Long> state = new LinkedHashMap<>();
    for (long i = 0; i < count; i++) {
      long client = reader.readVarUint();
      state.put(client, reader.readVarUint());
    }
    return state;
  }

  /** yjs's {@code encodeStateVector}: clients by descending id. */
  public static byte[] encode(Map<Long, Long> state) {
    List<Long> ids = new ArrayList<>(state.keySet());
    ids.sort((a, b) -> Long.compare(b, a));
    Lib0Writer writer = new Lib0Writer();
    writer.writeVarUint(ids.size());
    for (long client : ids) {
      writer.writeVarUint(client).writeVarUint(state.get(client));
    }
    return writer.toByteArray();
  }
}
