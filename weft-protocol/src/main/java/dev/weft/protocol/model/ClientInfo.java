package dev.weft.protocol.model;

/** Who published, joined or left: user id, client (connection) id and optional connection/channel info. */
public record ClientInfo(String user, String client, byte[] connInfo, byte[] chanInfo) {
    public ClientInfo {
        user = user == null ? "" : user;
        client = client == null ? "" : client;
    }
}
