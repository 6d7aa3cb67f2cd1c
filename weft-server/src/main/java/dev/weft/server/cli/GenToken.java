package dev.weft.server.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.weft.server.config.LoadedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code weft gentoken -u USER [-t TTL]}: a connection token signed HS256 with the configured
 * {@code client.token.hmac_secret_key}, as Centrifugo's {@code gentoken}. The token alone goes to stdout.
 */
@Command(name = "gentoken", mixinStandardHelpOptions = true,
        description = "Print a connection JWT (HS256, client.token.hmac_secret_key) for a user.")
public final class GenToken implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigSource source;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "The token's sub (user id); empty = anonymous.")
    String user = "";

    @Option(names = {"-t", "--ttl"}, paramLabel = "SECONDS", description = "Seconds until it expires (0 = never); default ${DEFAULT-VALUE}.")
    long ttlSeconds = Duration.ofDays(7).toSeconds();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig loaded = source.load(Map.of(), err);
        if (loaded == null) {
            return 2;
        }
        String secret = loaded.config().node().client().token().hmacSecretKey();
        if (secret.isEmpty()) {
            err.println("weft: client.token.hmac_secret_key is not set (give --config or --set)");
            return 2;
        }
        if (ttlSeconds < 0) {
            err.println("weft: --ttl must be 0 (never expires) or more seconds");
            return 2;
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user);
        if (ttlSeconds > 0) {
            claims.expirationTime(Date.from(Instant.now().plusSeconds(ttlSeconds)));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            err.println("weft: cannot sign with client.token.hmac_secret_key: " + e.getMessage());
            return 2;
        }
        err.println("HS256 JWT for user \"" + user + "\" "
                + (ttlSeconds > 0 ? "expiring in " + ttlSeconds + " s" : "without expiry") + ":");
        spec.commandLine().getOut().println(jwt.serialize());
        return 0;
    }
}
