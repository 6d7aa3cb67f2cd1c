package dev.weft.yjs.update;

import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Any;
import java.util.ArrayList;
import java.util.List;

/** Reads an item's content by its ref (yjs's {@code contentRefs} table). */
final class Contents {
  private Contents() {}

  static Content read(UpdateDecoder decoder, int ref) throws YjsFormatException {
    int at = decoder.rest().position();
    return switch (ref) {
      case ContentDeleted.REF -> new ContentDeleted(decoder.readLen());
      case ContentJson.REF -> readJson(decoder);
      case ContentBinary.REF -> new ContentBinary(decoder.readBuf());
      case ContentString.REF -> new ContentString(decoder.readString());
      case ContentEmbed.REF -> new ContentEmbed(decoder.readJson());
      case ContentFormat.REF -> new ContentFormat(decoder.readKey(), decoder.readJson());
      case ContentType.REF -> readType(decoder, at);
      case ContentAny.REF -> readAny(decoder);
      case ContentDoc.REF -> ContentDoc.of(decoder.readString(), decoder.readAny());
      default -> throw new YjsFormatException("unknown content ref " + ref, at);
    };
  }

  private static Content readJson(UpdateDecoder decoder) throws YjsFormatException {
    int count = elementCount(decoder);
    List<String> values = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      values.add(decoder.readString());
    }
    return new ContentJson(values);
  }

  private static Content readAny(UpdateDecoder decoder) throws YjsFormatException {
    int count = elementCount(decoder);
    List<Any> values = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      values.add(decoder.readAny());
    }
    return new ContentAny(values);
  }

  /** An element count, charged to the decoder before anything is allocated for it. */
  private static int elementCount(UpdateDecoder decoder) throws YjsFormatException {
    int at = decoder.rest().position();
    long count = decoder.readLen();
    decoder.charge(count, at);
    return (int) count;
  }

  private static Content readType(UpdateDecoder decoder, int at) throws YjsFormatException {
    int id = decoder.readTypeRef();
    TypeRef type = TypeRef.byId(id);
    if (type == null) {
      throw new YjsFormatException("unknown type ref " + id, at);
    }
    return new ContentType(type, type.named() ? decoder.readKey() : null);
  }
}
