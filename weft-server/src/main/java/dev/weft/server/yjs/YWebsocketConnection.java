package dev.weft.server.yjs;

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

/**
 * One y-websocket client in one room, speaking the y-websocket server's protocol: on opening, the token is
 * checked and the room joined, and the server sends SyncStep1 (its state vector) and the known awareness
 * states; the client's SyncStep1 is answered with SyncStep2 (what it lacks), its SyncStep2 and Updates are
 * applied and relayed, awareness is relayed, query-awareness answered.
 *
 * <p>Refusals: a token that is missing or invalid, or does not grant reading the room, gets y-protocols' auth
 * message "permission denied" with the reason, then the close code 4401 (token) or 4403 (room); so does a room
 * that cannot take it ({@link DocumentRooms#admit}: 4422 quarantined, 1013 node busy, 1011 store failing). A
 * read-only
 * client's updates are dropped with a log line; the first one earns it a "permission denied: read-only"
 * message (y-websocket logs it). Any message that does not decode closes the connection (1007). When the
 * token expires or is revoked, the connection is closed with 4401.
 *
 * <p>Runs in its {@link DocumentSocket}'s serial inbox; the peer methods run in the room's.
 */
final class YWebsocketConnection extends FramedPeer implements DocumentSocket.Handler {
    private static final Logger log = LoggerFactory.getLogger(YWebsocketConnection.class);
    private static final byte[] NO_PREFIX = new byte[0];
    /** y-protocols {@code auth.js}: the only auth message, "permission denied". */
    private static final int PERMISSION_DENIED = 0;

    private final String room;
    /** The request: its token, and what the document hooks are told. */
    private final HookCaller caller;
    private final DocumentAuthorizer authorizer;
    private final DocumentRooms rooms;
    private volatile DocumentSession session;
    /** Updates received in a row, not submitted yet; inbox only. */
    private final UpdateBatch pendingUpdates = new UpdateBatch();
    private final AddressLogLimit refusalLog;
    private volatile boolean toldReadOnly;
    /** Stops ending this connection when its token expires or is revoked. */
    private Runnable unwatch = () -> { };

    /** @param refusalLog how many refusal lines each client address may cause (the endpoint's) */
    YWebsocketConnection(DocumentSocket socket, String room, HookCaller caller, DocumentAuthorizer authorizer,
                         DocumentRooms rooms, AddressLogLimit refusalLog) {
        super(socket, NO_PREFIX);
        this.room = room;
        this.caller = caller;
        this.authorizer = authorizer;
        this.rooms = rooms;
        this.refusalLog = refusalLog;
    }

    // ---- from the client --------------------------------------------------------------------------------

    @Override
    public void opened() {
        DocumentGrant grant;
        try {
            grant = authorizer.authorize(room, caller);
        } catch (DocumentAccessDenied e) {
            if (refusalLog.admit(socket.remoteAddress())) {
                log.info("refused y-websocket {} from {}: {}", room, socket.remoteAddress(), e.getMessage());
            }
            // The client learns the kind of refusal only: why its token failed is for the log.
            socket.send(permissionDenied(e.error().reason()));
            socket.close(e.error());
            return;
        }
        DocumentRooms.Admission admission;
        try {
            admission = rooms.admit(room, caller);
        } catch (DocumentRejectedException e) {
            // The rooms logged the cause once (quarantine, node busy, store failure); retries add nothing.
            log.debug("refused y-websocket {} from {}: {}", room, socket.remoteAddress(), e.getMessage());
            socket.send(permissionDenied(e.getMessage()));
            socket.close(e.error());
            return;
        }
        unwatch = authorizer.watch(grant, () -> socket.close(DocumentError.UNAUTHORIZED));
        session = admission.join(this, grant.access(), true);
    }

    @Override
    public void frame(byte[] frame) throws YjsFormatException {
        DocumentSession s = session;
        if (s == null) {
            return; // refused at opening; the close is under way
        }
        Lib0Reader in = new Lib0Reader(frame);
        int type = in.readVarUintAsInt();
        if (type == DocumentFrames.SYNC) {
            int syncType = in.readVarUintAsInt();
            byte[] payload = in.readVarUint8Array();
            if (syncType == DocumentFrames.SYNC_STEP2 || syncType == DocumentFrames.SYNC_UPDATE) {
                pendingUpdates.add(s, payload);
                return;
            }
            pendingUpdates.flush();
            if (syncType != DocumentFrames.SYNC_STEP1) {
                throw new YjsFormatException("unknown sync message type " + syncType, 1);
            }
            s.syncStep1(payload);
            return;
        }
        pendingUpdates.flush();
        switch (type) {
            case DocumentFrames.AWARENESS -> s.awareness(in.readVarUint8Array());
            case DocumentFrames.QUERY_AWARENESS -> s.queryAwareness();
            case DocumentFrames.AUTH -> log.debug("ignored an auth message from y-websocket {}", describe());
            default -> throw new YjsFormatException("unknown message type " + type, 0);
        }
    }

    @Override
    public void drained() {
        pendingUpdates.flush();
    }

    @Override
    public void closed() {
        unwatch.run();
        DocumentSession s = session;
        if (s != null) {
            s.leave();
            rooms.hooks().disconnected(room, caller);
        }
    }

    // ---- from the room ----------------------------------------------------------------------------------

    @Override
    public void updateResult(UpdateResult result) {
        if (result == UpdateResult.REJECTED_READ_ONLY && !toldReadOnly) {
            toldReadOnly = true;
            socket.send(permissionDenied("read-only: updates to " + room + " are not accepted"));
        }
    }

    @Override
    public void close(DocumentError error, String detail) {
        socket.close(error);
    }

    @Override
    public String describe() {
        return "y-websocket " + socket.remoteAddress() + " in " + room;
    }

    private static byte[] permissionDenied(String reason) {
        return new Lib0Writer().writeVarUint(DocumentFrames.AUTH).writeVarUint(PERMISSION_DENIED)
                .writeVarString(reason).toByteArray();
    }
}
