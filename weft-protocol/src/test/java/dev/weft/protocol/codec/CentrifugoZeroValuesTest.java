package dev.weft.protocol.codec;

import dev.weft.protocol.ProtocolType;
import dev.weft.protocol.model.ClientInfo;
import dev.weft.protocol.model.ConnectResult;
import dev.weft.protocol.model.Disconnect;
import dev.weft.protocol.model.HistoryResult;
import dev.weft.protocol.model.Join;
import dev.weft.protocol.model.Leave;
import dev.weft.protocol.model.Message;
import dev.weft.protocol.model.PingResult;
import dev.weft.protocol.model.PresenceResult;
import dev.weft.protocol.model.PresenceStatsResult;
import dev.weft.protocol.model.Publication;
import dev.weft.protocol.model.PublishResult;
import dev.weft.protocol.model.Push;
import dev.weft.protocol.model.RefreshPush;
import dev.weft.protocol.model.RefreshResult;
import dev.weft.protocol.model.Reply;
import dev.weft.protocol.model.RpcResult;
import dev.weft.protocol.model.SubRefreshResult;
import dev.weft.protocol.model.SubscribePush;
import dev.weft.protocol.model.SubscribeResult;
import dev.weft.protocol.model.UnsubscribePush;
import dev.weft.protocol.model.UnsubscribeResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every reply and push with all fields at their zero values, pinned to the string Centrifugo writes
 * (the easyjson encoder generated in {@code centrifugal/protocol}'s {@code client.pb_easyjson.go}, with the
 * values {@code centrifugal/centrifuge}'s {@code client.go} passes it: a presence map and a history list are
 * made non-nil there). Only PresenceStatsResult, PresenceResult, HistoryResult and ClientInfo's user and
 * client are written unconditionally; every other field is left out when empty.
 */
class CentrifugoZeroValuesTest {
    private static final ProtocolCodec CODEC = ProtocolCodecs.of(ProtocolType.JSON);
    private static final ClientInfo ANONYMOUS = new ClientInfo("", "", null, null);

    @Test
    void presenceStatsOfAnEmptyChannelWritesBothCountsAsZero() {
        assertThat(encode(Reply.of(1, new PresenceStatsResult(0, 0))))
                .isEqualTo("{\"id\":1,\"presence_stats\":{\"num_clients\":0,\"num_users\":0}}");
    }

    @Test
    void presenceOfAnEmptyChannelIsAnEmptyMap() {
        assertThat(encode(Reply.of(2, new PresenceResult(Map.of()))))
                .isEqualTo("{\"id\":2,\"presence\":{\"presence\":{}}}");
    }

    @Test
    void presenceOfAnAnonymousClientKeepsEmptyUser() {
        assertThat(encode(Reply.of(2, new PresenceResult(Map.of("", ANONYMOUS)))))
                .isEqualTo("{\"id\":2,\"presence\":{\"presence\":{\"\":{\"user\":\"\",\"client\":\"\"}}}}");
    }

    @Test
    void historyWithoutPublicationsWritesAnEmptyListEpochAndOffset() {
        assertThat(encode(Reply.of(3, new HistoryResult(List.of(), "", 0))))
                .isEqualTo("{\"id\":3,\"history\":{\"publications\":[],\"epoch\":\"\",\"offset\":0}}");
    }

    @Test
    void historyPublicationsOmitTheirOwnZeroFields() {
        HistoryResult history = new HistoryResult(List.of(new Publication(null, null, 0)), "", 0);

        assertThat(encode(Reply.of(3, history)))
                .isEqualTo("{\"id\":3,\"history\":{\"publications\":[{}],\"epoch\":\"\",\"offset\":0}}");
    }

    @Test
    void resultsWithOnlyOptionalFieldsAreEmptyObjects() {
        assertThat(encode(Reply.of(4, new ConnectResult("", "", false, 0, null, Map.of(), 0, false, "", "", 0))))
                .isEqualTo("{\"id\":4,\"connect\":{}}");
        assertThat(encode(Reply.of(5, new SubscribeResult(false, 0, false, "", List.of(), false, 0, false, null,
                false)))).isEqualTo("{\"id\":5,\"subscribe\":{}}");
        assertThat(encode(Reply.of(6, new UnsubscribeResult()))).isEqualTo("{\"id\":6,\"unsubscribe\":{}}");
        assertThat(encode(Reply.of(7, new PublishResult()))).isEqualTo("{\"id\":7,\"publish\":{}}");
        assertThat(encode(Reply.of(8, new PingResult()))).isEqualTo("{\"id\":8,\"ping\":{}}");
        assertThat(encode(Reply.of(9, new RpcResult(null)))).isEqualTo("{\"id\":9,\"rpc\":{}}");
        assertThat(encode(Reply.of(10, new RefreshResult("", "", false, 0)))).isEqualTo("{\"id\":10,\"refresh\":{}}");
        assertThat(encode(Reply.of(11, new SubRefreshResult(false, 0)))).isEqualTo("{\"id\":11,\"sub_refresh\":{}}");
    }

    @Test
    void pushesWithZeroValuesKeepOnlyTheirKind() {
        assertThat(encode(push(new Publication(null, null, 0)))).isEqualTo("{\"push\":{\"pub\":{}}}");
        assertThat(encode(push(new UnsubscribePush(0, "")))).isEqualTo("{\"push\":{\"unsubscribe\":{}}}");
        assertThat(encode(push(new Message(null)))).isEqualTo("{\"push\":{\"message\":{}}}");
        assertThat(encode(push(new SubscribePush(false, "", 0, false, null))))
                .isEqualTo("{\"push\":{\"subscribe\":{}}}");
        assertThat(encode(push(new ConnectResult("", "", false, 0, null, Map.of(), 0, false, "", "", 0))))
                .isEqualTo("{\"push\":{\"connect\":{}}}");
        assertThat(encode(push(new Disconnect(0, "", false)))).isEqualTo("{\"push\":{\"disconnect\":{}}}");
        assertThat(encode(push(new RefreshPush(false, 0)))).isEqualTo("{\"push\":{\"refresh\":{}}}");
    }

    @Test
    void joinAndLeaveOfAnAnonymousClientWriteEmptyUserAndClient() {
        assertThat(encode(push(new Join(ANONYMOUS))))
                .isEqualTo("{\"push\":{\"join\":{\"info\":{\"user\":\"\",\"client\":\"\"}}}}");
        assertThat(encode(push(new Leave(ANONYMOUS))))
                .isEqualTo("{\"push\":{\"leave\":{\"info\":{\"user\":\"\",\"client\":\"\"}}}}");
    }

    @Test
    void publicationFromAnAnonymousClientCarriesEmptyUser() {
        Publication publication = new Publication("1".getBytes(StandardCharsets.UTF_8),
                new ClientInfo("", "c1", null, null), 0);

        assertThat(encode(push(publication)))
                .isEqualTo("{\"push\":{\"pub\":{\"data\":1,\"info\":{\"user\":\"\",\"client\":\"c1\"}}}}");
    }

    private static Reply push(dev.weft.protocol.model.PushBody body) {
        return Reply.push(new Push("", body));
    }

    private static String encode(Reply reply) {
        return new String(CODEC.encodeReplies(List.of(reply)), StandardCharsets.UTF_8);
    }
}
