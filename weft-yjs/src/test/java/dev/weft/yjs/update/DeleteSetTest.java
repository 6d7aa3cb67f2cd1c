package dev.weft.yjs.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Lib0Writer;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeleteSetTest {
  @Test
  void mergeSortsAndJoinsOverlappingRangesPerClient() {
    DeleteSet a = new DeleteSet();
    a.add(5, 10, 2);
    a.add(5, 0, 3);
    DeleteSet b = new DeleteSet();
    b.add(7, 1, 1);
    b.add(5, 2, 4);
    b.add(5, 12, 1);
    DeleteSet merged = DeleteSet.merge(List.of(a, b));
    assertThat(merged.clients().get(5L)).containsExactly(new DeleteSet.Range(0, 6), new DeleteSet.Range(10, 3));
    assertThat(merged.clients().get(7L)).containsExactly(new DeleteSet.Range(1, 1));
  }

  /** Written as read in v1; v2 encodes clocks as differences and cannot, like yjs. */
  @Test
  void aClientListedTwiceIsKeptInV1AndRefusedInV2() throws YjsFormatException {
    Lib0Writer w = new Lib0Writer().writeVarUint(0); // no structs
    w.writeVarUint(2).writeVarUint(9).writeVarUint(1).writeVarUint(8).writeVarUint(1); // client 9: 8+1
    w.writeVarUint(9).writeVarUint(1).writeVarUint(2).writeVarUint(1); // client 9 again: 2+1
    byte[] update = w.toByteArray();
    byte[] diff = Updates.diff(update, new byte[] {0}, UpdateFormat.V1);
    assertThat(diff).isEqualTo(new Lib0Writer().writeVarUint(0).writeVarUint(1).writeVarUint(9).writeVarUint(2)
        .writeVarUint(8).writeVarUint(1).writeVarUint(2).writeVarUint(1).toByteArray());
    assertThatThrownBy(() -> Updates.convert(update, UpdateFormat.V1, UpdateFormat.V2))
        .isInstanceOf(YjsFormatException.class).hasMessageContaining("not sorted");
  }
}
