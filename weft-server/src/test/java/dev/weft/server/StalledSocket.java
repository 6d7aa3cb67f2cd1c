package dev.weft.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * For {@code EmbeddedChannel} tests: stands for a socket that does not drain, holding every write unfinished
 * until {@link #drain()} completes them (and releases what they carried). Event-loop only.
 */
public final class StalledSocket extends ChannelOutboundHandlerAdapter {
    public final List<Object> messages = new ArrayList<>();
    private final List<ChannelPromise> promises = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        messages.add(msg);
        promises.add(promise);
    }

    /** Completes every held write successfully. */
    public void drain() {
        messages.forEach(ReferenceCountUtil::release);
        promises.forEach(ChannelPromise::setSuccess);
        messages.clear();
        promises.clear();
    }
}
