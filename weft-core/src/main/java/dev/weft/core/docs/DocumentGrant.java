package dev.weft.core.docs;

/**
 * What {@link DocumentAuthorizer} granted a peer, and the token it rests on (for ending the peer when the
 * token expires or is revoked).
 *
 * @param access    read-write or read-only
 * @param user      the token's user; "" for anonymous peers
 * @param jti       the token's ID; "" when absent
 * @param issuedAt  the token's {@code iat}, Unix seconds; 0 when absent
 * @param expireAt  when the token expires, Unix seconds; 0 = never
 */
public record DocumentGrant(DocumentAccess access, String user, String jti, long issuedAt, long expireAt) {
}
