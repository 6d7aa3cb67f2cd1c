package dev.weft.yjs.update;

/** The shared types a {@link ContentType} can hold, with the numbers yjs writes for them. */
public enum TypeRef {
  ARRAY(0, false),
  MAP(1, false),
  TEXT(2, false),
  XML_ELEMENT(3, true),
  XML_FRAGMENT(4, false),
  XML_HOOK(5, true),
  XML_TEXT(6, false);

  private static final TypeRef[] BY_ID = values();

  private final int id;
  private final boolean named;

  TypeRef(int id, boolean named) {
    this.id = id;
    this.named = named;
  }

  public int id() {
    return id;
  }

  /** Whether a name (node name or hook name) follows the type ref. */
  public boolean named() {
    return named;
  }

  /** The type with this number, or null. */
  public static TypeRef byId(int id) {
    return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
  }
}
