package dev.weft.core.hub;

/**
 * What the hub needs of a connection to index it: its ids and user. The hub knows nothing else of a
 * connection, so the connection's own package (the session state machine) can use the hub without the hub
 * using it back.
 *
 * <p>The values must not change while the member is in the hub: {@link Hub#removeMember} finds it by them.
 */
public interface HubMember {

    /** Unique per connection; what other clients see. */
    String clientId();

    /** User id; "" for anonymous connections. */
    String userId();

    /** The secret id an emulated connection's commands are addressed with; "" for other connections. */
    String sessionId();

    /** Whether the connection takes its commands through emulation requests (found by {@link #sessionId()}). */
    boolean emulated();
}
