package dev.weft.protocol;

/** The two encodings of client protocol v2. */
public enum ProtocolType {
    /** Newline-separated JSON objects; publication data is embedded as raw JSON. */
    JSON,
    /** Varint-length-prefixed Protobuf messages. */
    PROTOBUF
}
