package dev.weft.protocol.codec;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.Command;
import dev.weft.protocol.model.ConnectRequest;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.Reply;

import java.util.List;

/**
 * Encodes replies and decodes commands of one {@link ProtocolType}. Implementations are stateless and
 * thread-safe; get them from {@link ProtocolCodecs#of(ProtocolType)}.
 *
 * <p>A frame is what one WebSocket message (or one HTTP body) carries: for JSON, one or more objects
 * separated by {@code '\n'}; for Protobuf, one or more messages each prefixed with its varint length.
 */
public interface ProtocolCodec {

    ProtocolType type();

    /**
     * Decodes every command in a frame, in order. The empty command is {@link Command#PONG}; a command with
     * an {@code id} but no request this protocol version knows decodes to {@code new Command(id, null)}, to
     * be answered with "method not found". An empty frame holds no commands.
     *
     * @throws ProtocolDecodeException if any command in the frame is malformed (nothing is returned then)
     */
    List<Command> decodeCommands(byte[] frame) throws ProtocolDecodeException;

    /** One reply as a complete frame (for Protobuf including its length prefix). */
    byte[] encodeReply(Reply reply);

    /** Several replies in one frame, in order. */
    byte[] encodeReplies(List<Reply> replies);

    /** Decodes replies, in order: the client side of the protocol (used by tests, benchmarks and tools). */
    List<Reply> decodeReplies(byte[] frame) throws ProtocolDecodeException;

    /** Encodes commands into one frame: the client side of the protocol. */
    byte[] encodeCommands(List<Command> commands);

    /**
     * One push as a complete frame of a unidirectional transport, without the reply around it:
     * {@code {"channel":"news","pub":{…}}} rather than {@code {"push":{…}}}. For Protobuf the {@code Push}
     * message prefixed with its varint length. {@code new Push("", null)} is the empty push: {@code {}} (one
     * {@code 00} byte in Protobuf), the ping of unidirectional transports.
     */
    byte[] encodePush(Push push);

    /**
     * Decodes one frame written by {@link #encodePush}: the client side of the unidirectional protocol. The
     * empty push (ping) decodes to {@code new Push("", null)}.
     *
     * @throws ProtocolDecodeException if the frame is not exactly one well-formed push
     */
    Push decodePush(byte[] frame) throws ProtocolDecodeException;

    /**
     * Decodes a bare connect request, as unidirectional transports receive it (Centrifugo's {@code cf_connect}
     * query parameter, an HTTP body, a first WebSocket message): for JSON one object such as
     * {@code {"token":"…","subs":{"news":{"recover":true,"epoch":"e","offset":3}}}}, surrounded by any JSON
     * whitespace; for Protobuf a {@code ConnectRequest} message without length prefix. Keys of {@code subs}
     * are channels; the channel field of each value stays empty.
     *
     * @throws ProtocolDecodeException if the input is not exactly one well-formed connect request
     */
    ConnectRequest decodeConnectRequest(byte[] body) throws ProtocolDecodeException;
}
