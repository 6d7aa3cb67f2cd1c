package dev.weft.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One Lua script, run with {@code EVALSHA} and sent whole ({@code EVAL}, which also caches it) only when Redis
 * does not know it — after a restart, say. Every script is {@code epoch.lua} (shared functions) followed by its
 * own file. Immutable and thread-safe.
 */
public final class Script {

    public static final Script PUBLISH = load("publish.lua");
    public static final Script HISTORY = load("history.lua");
    public static final Script PRESENCE_ADD = load("presence_add.lua");
    public static final Script PRESENCE_GET = load("presence_get.lua");
    public static final Script PRESENCE_REMOVE = load("presence_remove.lua");

    private final byte[] source;
    private final String sha;

    private Script(byte[] source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Runs the script; the reply is a list of {@code Long}, {@code byte[]} and nested lists. */
    public List<Object> run(RedisClusterCommands<byte[], byte[]> commands, byte[][] keys, byte[]... args) {
        try {
            return commands.evalsha(sha, ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(source, ScriptOutputType.MULTI, keys, args);
        }
    }

    private static Script load(String name) {
        return new Script((read("epoch.lua") + "\n" + read(name)).getBytes(StandardCharsets.UTF_8));
    }

    private static String read(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
