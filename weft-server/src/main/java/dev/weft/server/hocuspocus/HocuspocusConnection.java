package dev.weft.server.hocuspocus;

import dev.weft.core.docs.DocumentAccessDenied;
import dev.weft.core.docs.DocumentAuthorizer;
import dev.weft.core.docs.DocumentError;
import dev.weft.core.docs.DocumentGrant;
import dev.weft.core.docs.DocumentRejectedException;
import dev.weft.core.docs.DocumentRooms;
import dev.weft.core.docs.DocumentSession;
import dev.weft.core.docs.hooks.HookCaller;
import dev.weft.core.limits.AddressLogLimit;
import dev.weft.server.docs.DocumentFrames;
import dev.weft.server.docs.DocumentSocket;
import dev.weft.server.docs.FramedPeer;
import dev.weft.server.docs.UpdateBatch;
import dev.weft.yjs.YjsFormatException;
import dev.weft.yjs.lib0.Lib0Reader;
import dev.weft.yjs.lib0.Lib0Writer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code @hocuspocus/provider} WebSocket, with as many documents as the client attaches, as
 * {@code @hocuspocus/server} 4.x speaks it. Every frame starts with {@code varString address} — the document
 * name, optionally followed by {@code \0} and a session id; replies go to the same address — then
 * {@code varUint type}:
 * <ul>
 *   <li>2 Auth: the first message of an address must be {@code Token} (0) with the JWT (and, from newer
 *       providers, their version). Answered with {@code Authenticated} (2) and scope {@code read-write} or
 *       {@code readonly}, after which the document is joined and messages that arrived before the token are
 *       handled; or with {@code PermissionDenied} (1) and the reason, and the document is not opened (the
 *       provider reports {@code authenticationFailed}). Other messages of an address not yet authenticated
 *       wait, at most {@value #MAX_WAITING_MESSAGES} of them and 5 MiB per connection (then 1013).</li>
 *   <li>0 Sync / 4 SyncReply: SyncStep1 is answered with the server's SyncStep1 (Sync only) and SyncStep2;
 *       SyncStep2 and Update are applied and answered with 8 SyncStatus (1 applied, 0 refused: a read-only
 *       document that would change).</li>
 *   <li>1 Awareness, 3 QueryAwareness: relayed and answered as in y-websocket.</li>
 *   <li>5 Stateless: accepted and ignored (there is no server hook); 6 BroadcastStateless from a client is
 *       refused like a malformed message.</li>
 *   <li>7 Close: the client leaves the document.</li>
 *   <li>9 Ping, as a whole frame without address: answered with 10 Pong.</li>
 * </ul>
 * Before a document is opened it is refused with PermissionDenied and the reason when the connection already
 * holds {@code client.channel_limit} documents, or the room cannot take it (quarantined, node busy, store
 * failing). A document the room ends (update or document too large, namespace quota, malformed update, store
 * failure), or whose token
 * expires or is revoked, gets a 7 Close message with the reason and is left; the connection and its other documents go on. A frame whose address
 * does not decode closes the connection (1007); a full write queue closes it as slow (1013).
 *
 * <p>Runs in its {@link DocumentSocket}'s serial inbox; the documents' peer methods run in
 * their rooms'. {@code documents} and {@code waiting} are confined to the inbox.
 */
final class HocuspocusConnection implements DocumentSocket.Handler {
    private static final Logger log = LoggerFactory.getLogger(HocuspocusConnection.class);

    static final int SYNC_REPLY = 4;
    static final int STATELESS = 5;
    static final int BROADCAST_STATELESS = 6;
    static final int CLOSE = 7;
    static final int SYNC_STATUS = 8;
    static final int PING = 9;
    static final int PONG = 10;
    static final int AUTH_TOKEN = 0;
    static final int AUTH_PERMISSION_DENIED = 1;
    static final int AUTH_AUTHENTICATED = 2;
    /** As {@code @hocuspocus/server}'s {@code maxUnauthenticatedQueueMessages}. */
    static final int MAX_WAITING_MESSAGES = 1000;
    /** As {@code @hocuspocus/server}'s {@code maxUnauthenticatedQueueSize}. */
    static final int MAX_WAITING_BYTES = 5 * 1024 * 1024;

    private final DocumentAuthorizer authorizer;
    private final DocumentRooms rooms;
    private final DocumentSocket socket;
    /** The upgrade request, what the document hooks are told (with each document's token). */
    private final HookCaller request;
    /** Documents this connection may hold open at once ({@code client.channel_limit}); 0 = no limit. */
    private final int documentLimit;
    private final Map<String, OpenDocument> documents = new HashMap<>();
    private final Map<String, List<byte[]>> waiting = new HashMap<>();
    /** Updates received in a row for one document, not submitted yet. */
    private final UpdateBatch pendingUpdates = new UpdateBatch();
    /** A client can ask for thousands of documents: a few lines per address, then one a second. */
    private final AddressLogLimit refusalLog;
    private int waitingCount;
    private long waitingBytes;

    /**
     * @param refusalLog    how many refusal lines each client address may cause (the endpoint's)
     * @param documentLimit documents this connection may hold open; 0 = no limit
     */
    HocuspocusConnection(DocumentSocket socket, HookCaller request, DocumentAuthorizer authorizer,
                         DocumentRooms rooms, AddressLogLimit refusalLog, int documentLimit) {
        this.socket = socket;
        this.request = request;
        this.authorizer = authorizer;
        this.rooms = rooms;
        this.refusalLog = refusalLog;
        this.documentLimit = documentLimit;
    }

    @Override
    public void opened() {
        // Nothing to do before the first Auth message.
    }

    @Override
    public void frame(byte[] frame) throws YjsFormatException {
        if (frame.length == 1 && frame[0] == PING) {
            socket.send(new byte[]{PONG});
            return;
        }
        if (frame.length == 1 && frame[0] == PONG) {
            return;
        }
        Lib0Reader in = new Lib0Reader(frame);
        String address = in.readVarString();
        OpenDocument document = documents.get(address);
        if (document != null) {
            document.handle(in);
            return;
        }
        int type = in.readVarUintAsInt();
        if (type == DocumentFrames.AUTH) {
            authenticate(address, in);
        } else if (waitingCount >= MAX_WAITING_MESSAGES || waitingBytes + frame.length > MAX_WAITING_BYTES) {
            log.info("closing hocuspocus from {}: more than {} messages or {} bytes before authentication",
                    socket.remoteAddress(), MAX_WAITING_MESSAGES, MAX_WAITING_BYTES);
            socket.close(DocumentError.SLOW);
        } else {
            waiting.computeIfAbsent(address, a -> new ArrayList<>()).add(frame);
            waitingCount++;
            waitingBytes += frame.length;
        }
    }

    @Override
    public void drained() {
        pendingUpdates.flush();
    }

    @Override
    public void closed() {
        documents.values().forEach(OpenDocument::left);
        documents.clear();
        waiting.clear();
        waitingCount = 0;
        waitingBytes = 0;
    }

    private void authenticate(String address, Lib0Reader in) throws YjsFormatException {
        int authType = in.readVarUintAsInt();
        if (authType != AUTH_TOKEN) {
            throw new YjsFormatException("auth message type " + authType + " from a client", in.position());
        }
        String token = in.readVarString();
        String name = documentName(address);
        List<byte[]> early = waiting.remove(address);
        if (early != null) {
            waitingCount -= early.size();
            waitingBytes -= early.stream().mapToLong(f -> f.length).sum();
        }
        if (documentLimit > 0 && documents.size() >= documentLimit) {
            String reason = DocumentError.DOCUMENT_LIMIT.reason() + ": this connection has " + documents.size()
                    + " documents open, client.channel_limit is " + documentLimit;
            deny(address, name, DocumentError.DOCUMENT_LIMIT, reason, reason);
            return;
        }
        HookCaller caller = request.withToken(token);
        DocumentGrant grant;
        try {
            grant = authorizer.authorize(name, caller);
        } catch (DocumentAccessDenied e) {
            // The client learns the kind of refusal only: why its token failed is for the log.
            deny(address, name, e.error(), e.error().reason(), e.getMessage());
            return;
        }
        DocumentRooms.Admission admission;
        try {
            admission = rooms.admit(name, caller);
        } catch (DocumentRejectedException e) {
            // The rooms logged the cause once (quarantine, node busy, store failure); retries add nothing.
            log.debug("refused hocuspocus document {} from {}: {}", name, socket.remoteAddress(), e.getMessage());
            socket.refused(e.error());
            socket.send(permissionDenied(address, e.getMessage()));
            return;
        }
        socket.send(prefixed(address).writeVarUint(DocumentFrames.AUTH).writeVarUint(AUTH_AUTHENTICATED)
                .writeVarString(grant.access().mayWrite() ? "read-write" : "readonly").toByteArray());
        OpenDocument document = new OpenDocument(address, name, caller);
        documents.put(address, document);
        document.session = admission.join(document, grant.access(), false);
        document.unwatch = authorizer.watch(grant,
                () -> socket.execute(() -> {
                    socket.refused(DocumentError.UNAUTHORIZED);
                    document.end(DocumentError.UNAUTHORIZED.reason() + ": token expired or revoked");
                }));
        if (early != null) {
            for (byte[] frame : early) {
                Lib0Reader again = new Lib0Reader(frame);
                again.readVarString();
                if (documents.get(address) == document) {
                    document.handle(again);
                }
            }
        }
    }

    /**
     * PermissionDenied with {@code reason}: the document is not opened; the socket and its other documents go
     * on. {@code detail} is for the log only.
     */
    private void deny(String address, String name, DocumentError error, String reason, String detail) {
        if (refusalLog.admit(socket.remoteAddress())) {
            log.info("refused hocuspocus document {} from {}: {}", name, socket.remoteAddress(), detail);
        }
        socket.refused(error);
        socket.send(permissionDenied(address, reason));
    }

    private static byte[] permissionDenied(String address, String reason) {
        return prefixed(address).writeVarUint(DocumentFrames.AUTH).writeVarUint(AUTH_PERMISSION_DENIED)
                .writeVarString(reason).toByteArray();
    }

    /** The document an address names: up to the {@code \0} that precedes a session id. */
    static String documentName(String address) {
        int separator = address.indexOf('\0');
        return separator < 0 ? address : address.substring(0, separator);
    }

    private static Lib0Writer prefixed(String address) {
        return new Lib0Writer().writeVarString(address);
    }

    /** One authenticated document of this connection: the room's peer. */
    private final class OpenDocument extends FramedPeer {
        private final String address;
        private final String name;
        private final HookCaller caller;
        private volatile DocumentSession session;
        /** Stops ending this document when its token expires or is revoked. */
        private volatile Runnable unwatch = () -> { };
        /** Whether the SyncStep1 being answered came as Sync (answer with our SyncStep1 too) or SyncReply. */
        private volatile boolean requestFirstSync;

        OpenDocument(String address, String name, HookCaller caller) {
            super(HocuspocusConnection.this.socket, prefixed(address).toByteArray());
            this.address = address;
            this.name = name;
            this.caller = caller;
        }

        /** The client is out of the document: no more token watch, the room left, the disconnect hook told. */
        void left() {
            unwatch.run();
            session.leave();
            rooms.hooks().disconnected(name, caller);
        }

        void handle(Lib0Reader in) throws YjsFormatException {
            int type = in.readVarUintAsInt();
            if (type == DocumentFrames.SYNC || type == SYNC_REPLY) {
                int syncType = in.readVarUintAsInt();
                byte[] payload = in.readVarUint8Array();
                if (syncType == DocumentFrames.SYNC_STEP2 || syncType == DocumentFrames.SYNC_UPDATE) {
                    pendingUpdates.add(session, payload);
                    return;
                }
                pendingUpdates.flush();
                if (syncType == DocumentFrames.SYNC_STEP1) {
                    requestFirstSync = type == DocumentFrames.SYNC;
                    session.syncStep1(payload);
                } else {
                    refuse("unknown sync message type " + syncType);
                }
                return;
            }
            pendingUpdates.flush(); // what came before this message is applied before it
            switch (type) {
                case DocumentFrames.AWARENESS -> session.awareness(in.readVarUint8Array());
                case DocumentFrames.QUERY_AWARENESS -> session.queryAwareness();
                case DocumentFrames.AUTH -> log.debug("ignored a token refresh for {} from {}", name,
                        socket.remoteAddress());
                case STATELESS -> log.debug("ignored a stateless message for {} from {}", name, socket.remoteAddress());
                case CLOSE -> {
                    documents.remove(address);
                    left();
                }
                default -> refuse("message type " + type + " is not accepted from a client");
            }
        }

        private void refuse(String reason) {
            log.info("closing hocuspocus document {} from {}: {}", name, socket.remoteAddress(), reason);
            socket.refused(DocumentError.MALFORMED);
            end(DocumentError.MALFORMED.reason() + ": " + reason);
        }

        /** Closes this document for the client (a Close message) and leaves it; in the inbox. */
        void end(String reason) {
            if (documents.remove(address, this)) {
                left();
                socket.send(closeMessage(reason));
            }
        }

        private byte[] closeMessage(String reason) {
            return new Lib0Writer().writeBytes(prefix).writeVarUint(CLOSE).writeVarString(reason).toByteArray();
        }

        @Override
        public void answerSyncStep1(byte[] missing, byte[] stateVector) {
            if (requestFirstSync) {
                sendStateVector(stateVector); // as @hocuspocus/server: its SyncStep1, then the SyncStep2
            }
            super.answerSyncStep1(missing, stateVector);
        }

        @Override
        public void updateResult(UpdateResult result) {
            socket.send(new Lib0Writer().writeBytes(prefix).writeVarUint(SYNC_STATUS)
                    .writeVarUint(result == UpdateResult.REJECTED_READ_ONLY ? 0 : 1).toByteArray());
        }

        @Override
        public void close(DocumentError error, String detail) {
            if (error == DocumentError.SLOW || error == DocumentError.SHUTDOWN) {
                socket.close(error); // the connection as a whole cannot go on
                return;
            }
            socket.refused(error);
            socket.send(closeMessage(error.reason() + ": " + detail));
            // Called in the room's task: leaving (which waits for the room) happens in the inbox.
            socket.execute(() -> {
                if (documents.remove(address, this)) {
                    left();
                }
            });
        }

        @Override
        public String describe() {
            return "hocuspocus " + socket.remoteAddress() + " in " + name;
        }
    }
}
