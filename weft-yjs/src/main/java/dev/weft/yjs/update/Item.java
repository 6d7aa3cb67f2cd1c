package dev.weft.yjs.update;

/**
 * An item as an update carries it: its id, the ids it was inserted between (origin, right origin), its
 * parent when neither origin says it (a root type name or the id of the item holding the type), the map
 * key ({@code parentSub}) and its content. Holds no links to other items: the document model adds those.
 */
public final class Item extends Struct {
  private static final int BIT8 = 0x80;
  private static final int BIT7 = 0x40;
  private static final int BIT6 = 0x20;

  private final ID origin;
  private final ID rightOrigin;
  private final Object parent;
  private final String parentSub;
  private final Content content;
  private final boolean parentSubBitAsRead;

  /**
   * @param parent a root type name ({@link String}), an {@link ID}, or null when an origin is set
   */
  public Item(long client, long clock, ID origin, ID rightOrigin, Object parent, String parentSub,
      Content content) {
    this(client, clock, origin, rightOrigin, parent, parentSub, content, parentSub != null);
  }

  /**
   * @param parentSubBitAsRead the info byte's parentSub bit as read: a document encoder sets it for map
   *     entries even when an origin makes the key implicit (and so unread), see {@link #writeAsRead}
   */
  Item(long client, long clock, ID origin, ID rightOrigin, Object parent, String parentSub, Content content,
      boolean parentSubBitAsRead) {
    super(client, clock, content.length());
    if (parent != null && !(parent instanceof String) && !(parent instanceof ID)) {
      throw new IllegalArgumentException("parent must be a root name or an ID: " + parent);
    }
    this.origin = origin;
    this.rightOrigin = rightOrigin;
    this.parent = parent;
    this.parentSub = parentSub;
    this.content = content;
    this.parentSubBitAsRead = parentSubBitAsRead;
  }

  public ID origin() {
    return origin;
  }

  public ID rightOrigin() {
    return rightOrigin;
  }

  /** A root type name ({@link String}), the {@link ID} of the parent item, or null. */
  public Object parent() {
    return parent;
  }

  public String parentSub() {
    return parentSub;
  }

  public Content content() {
    return content;
  }

  /**
   * As yjs's lazy writers do (merge, diff, format conversion): the parentSub bit only when the key is
   * known, i.e. was read because no origin was set.
   */
  @Override
  public void write(UpdateEncoder encoder, long offset) {
    write(encoder, offset, parentSub != null);
  }

  /** As a yjs document encoder wrote the item: with the parentSub bit as read. */
  @Override
  void writeAsRead(UpdateEncoder encoder) {
    write(encoder, 0, parentSubBitAsRead);
  }

  private void write(UpdateEncoder encoder, long offset, boolean parentSubBit) {
    ID writtenOrigin = offset > 0 ? new ID(client, clock + offset - 1) : origin;
    int info = (content.ref() & 0x1f)
        | (writtenOrigin == null ? 0 : BIT8)
        | (rightOrigin == null ? 0 : BIT7)
        | (parentSubBit ? BIT6 : 0);
    encoder.writeInfo(info);
    if (writtenOrigin != null) {
      encoder.writeLeftId(writtenOrigin.client(), writtenOrigin.clock());
    }
    if (rightOrigin != null) {
      encoder.writeRightId(rightOrigin.client(), rightOrigin.clock());
    }
    if (writtenOrigin == null && rightOrigin == null) {
      switch (parent) {
        case String name -> {
          encoder.writeParentInfo(true);
          encoder.writeString(name);
        }
        case ID id -> {
          encoder.writeParentInfo(false);
          encoder.writeLeftId(id.client(), id.clock());
        }
        default -> throw new IllegalStateException("item " + client + ":" + clock + " has no parent");
      }
      if (parentSub != null) {
        encoder.writeString(parentSub);
      }
    }
    content.write(encoder, offset);
  }

  @Override
  Struct sliceFrom(long offset) {
    return new Item(client, clock + offset, new ID(client, clock + offset - 1), rightOrigin, parent,
        parentSub, content.sliceFrom(offset), parentSubBitAsRead);
  }

  @Override
  public String toString() {
    return "Item(" + client + ":" + clock + ", " + content + ")";
  }
}
