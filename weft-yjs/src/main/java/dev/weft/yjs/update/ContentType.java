package dev.weft.yjs.update;

/**
 * Ref 7: a nested shared type. {@code name} is the node name of an XmlElement or the hook name of an
 * XmlHook, null for the other types.
 */
public record ContentType(TypeRef type, String name) implements UnitContent {
  public static final int REF = 7;

  @Override
  public int ref() {
    return REF;
  }

  @Override
  public void write(UpdateEncoder encoder, long offset) {
    encoder.writeTypeRef(type.id());
    if (type.named()) {
      encoder.writeKey(name);
    }
  }
}
