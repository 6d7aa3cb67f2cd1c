package dev.weft.yjs.update;

/**
 * Something read cannot be written in the requested format (where yjs would throw too): an embed holding
 * a BigInt or no JSON value written as v1, JSON text that does not parse written as v2, an empty deleted
 * range written as v2. {@link Updates} turns it into a {@link dev.weft.yjs.YjsFormatException}.
 */
final class UnencodableException extends RuntimeException {
  UnencodableException(String message) {
    super(message, null, false, false);
  }
}
