package dev.weft.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.core.ClientOptions;
import dev.weft.core.auth.PemKeys;
import dev.weft.core.auth.TokenOptions;
import dev.weft.core.channel.ChannelOptions;
import dev.weft.core.channel.Namespace;
import dev.weft.server.http.OriginPolicy;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.server.config.OptionCatalog.NAMESPACES_KEY;
import static dev.weft.server.config.OptionCatalog.WITHOUT_NAMESPACE_KEY;

/**
 * Turns the merged tree into a {@link WeftConfig}: reads every supported option, then checks the rules that
 * span several options (Centrifugo's: history size and TTL together, whole-second history TTLs no longer
 * than the meta TTL, recovery only with history, unique valid namespace names, pong timeout below ping
 * interval). Every problem is reported; nothing is built when there is one. Stateless.
 */
final class ConfigDecoder {

    private ConfigDecoder() {
    }

    /** The configuration, or null when {@code report} has errors. */
    static WeftConfig decode(JsonNode tree, ConfigReport report) {
        ConfigDraft draft = new ConfigDraft(WeftConfig.DEFAULT);
        int withoutNamespaceErrors = 0;
        for (Option<WeftConfig, ConfigDraft, ?> option : OptionCatalog.topLevel()) {
            JsonNode node = Trees.at(tree, option.key());
            if (node != null) {
                int before = report.errorCount();
                apply(option, node, draft, option.key(), report);
                if (option.key().startsWith(WITHOUT_NAMESPACE_KEY + ".")) {
                    withoutNamespaceErrors += report.errorCount() - before;
                }
            }
        }
        if (withoutNamespaceErrors == 0) {
            // Rules spanning options are checked only on values that could be read.
            checkChannelOptions(draft.withoutNamespace, WITHOUT_NAMESPACE_KEY, draft.historyMetaTtl, report);
        }
        draft.namespaces = namespaces(tree, draft.historyMetaTtl, report);
        draft.proxies = ProxyConfigDecoder.decode(tree, report);
        draft.postgresChanges = PostgresChangesDecoder.decode(tree, report);
        draft.consumers = ConsumersConfigDecoder.decode(tree, report);
        checkTokenOptions("client.token", draft.token, report);
        checkTokenOptions("client.subscription_token", draft.subscriptionToken, report);
        ClientOptions client = draft.clientBuilder.build();
        if (client.pongTimeout().isPositive() && client.pongTimeout().compareTo(client.pingInterval()) >= 0) {
            report.error("client.pong_timeout", "must be less than client.ping_interval ("
                    + GoDuration.format(client.pongTimeout()) + " is not less than "
                    + GoDuration.format(client.pingInterval()) + ")");
        }
        checkTls(draft, report);
        checkAdmin(draft.web, report);
        checkPersonalChannel(client, draft, report);
        String cookieConflict = OriginPolicy.cookieConflict(draft.allowedOrigins, client.tokenCookieName());
        if (cookieConflict != null) {
            report.error("client.token_cookie_name", cookieConflict);
        }
        if (report.hasErrors()) {
            return null;
        }
        try {
            return draft.build(draft.withoutNamespace.builder.build());
        } catch (IllegalArgumentException e) {
            report.error("configuration", e.getMessage());
            return null;
        }
    }

    /** TLS needs a certificate and its key, both loadable (the server would fail to start otherwise). */
    private static void checkTls(ConfigDraft draft, ConfigReport report) {
        if (!draft.tlsEnabled) {
            return;
        }
        for (String[] pem : new String[][] {{"http_server.tls.cert_pem", draft.tlsCertPem},
                {"http_server.tls.key_pem", draft.tlsKeyPem}}) {
            if (pem[1].isBlank()) {
                report.error(pem[0], "required when http_server.tls.enabled is true");
                continue;
            }
            try {
                PemData.load(pem[1]);
            } catch (IllegalArgumentException e) {
                report.error(pem[0], e.getMessage());
            }
        }
    }

    /** The admin UI needs a password and a secret long enough that sessions cannot be forged by guessing it. */
    private static void checkAdmin(WebConfig web, ConfigReport report) {
        if (!web.adminEnabled()) {
            return;
        }
        if (web.adminPassword().isEmpty()) {
            report.error("admin.password", "required when admin.enabled is true");
        }
        if (web.adminSecret().length() < WebConfig.ADMIN_SECRET_MIN_LENGTH) {
            report.error("admin.secret", "at least " + WebConfig.ADMIN_SECRET_MIN_LENGTH
                    + " characters required when admin.enabled is true (it signs admin sessions)");
        }
    }

    /** As Centrifugo: the personal channel's namespace must exist. */
    private static void checkPersonalChannel(ClientOptions client, ConfigDraft draft, ConfigReport report) {
        String namespace = client.personalChannelNamespace();
        if (client.subscribeToUserPersonalChannel() && !namespace.isEmpty()
                && draft.namespaces.stream().noneMatch(n -> n.name().equals(namespace))) {
            report.error("client.subscribe_to_user_personal_channel.personal_channel_namespace",
                    "namespace \"" + namespace + "\" is not configured in channel.namespaces");
        }
    }

    private static <S, B, T> void apply(Option<S, B, T> option, JsonNode node, B target, String key,
                                        ConfigReport report) {
        try {
            option.setter().accept(target, option.decoder().decode(node));
        } catch (Values.BadValue e) {
            report.error(key, e.getMessage());
        }
    }

    private static List<Namespace> namespaces(JsonNode tree, Duration globalMetaTtl, ConfigReport report) {
        JsonNode list = Trees.at(tree, NAMESPACES_KEY);
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            report.error(NAMESPACES_KEY, "expected a list of namespace objects, got " + Values.show(list));
            return List.of();
        }
        List<Namespace> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = NAMESPACES_KEY + "[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                report.error(path, "expected a namespace object with a name, got " + Values.show(entry));
                continue;
            }
            String name = namespaceName(entry.get("name"), path, seen, i, report);
            ChannelDraft draft = new ChannelDraft(ChannelOptions.DEFAULT);
            int before = report.errorCount();
            for (Option<ChannelOptions, ChannelDraft, ?> option : OptionCatalog.channel()) {
                JsonNode node = entry.get(option.key());
                if (node != null && !node.isNull()) {
                    apply(option, node, draft, path + "." + option.key(), report);
                }
            }
            boolean valid = report.errorCount() == before && checkChannelOptions(draft, path, globalMetaTtl, report);
            if (name != null && valid) {
                try {
                    out.add(new Namespace(name, draft.builder.build()));
                } catch (IllegalArgumentException e) {
                    report.error(path, e.getMessage());
                }
            }
        }
        return out;
    }

    private static String namespaceName(JsonNode node, String path, Map<String, Integer> seen, int index,
                                        ConfigReport report) {
        String key = path + ".name";
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isEmpty())) {
            report.error(key, "required: every namespace needs a name");
            return null;
        }
        if (!node.isTextual()) {
            report.error(key, "expected string, got " + Values.show(node));
            return null;
        }
        String name = node.textValue();
        if (!Namespace.VALID_NAME.matcher(name).matches()) {
            report.error(key, "invalid namespace name " + Values.show(node) + ": must be at least 2 characters "
                    + "of letters, digits, '-', '_' or '.' (" + Namespace.VALID_NAME.pattern() + ")");
            return null;
        }
        Integer previous = seen.putIfAbsent(name, index);
        if (previous != null) {
            report.error(key, "duplicate namespace name \"" + name + "\" (also " + NAMESPACES_KEY + "[" + previous
                    + "])");
            return null;
        }
        return name;
    }

    /** Centrifugo's channel option rules; true when they hold. */
    private static boolean checkChannelOptions(ChannelDraft d, String path, Duration globalMetaTtl,
                                               ConfigReport report) {
        boolean ok = true;
        if (d.historySize > 0 && !d.historyTtl.isPositive()) {
            report.error(path + ".history_ttl", "required when history_size is set (history_size is "
                    + d.historySize + "); set both or neither");
            ok = false;
        } else if (d.historySize == 0 && d.historyTtl.isPositive()) {
            report.error(path + ".history_size", "required when history_ttl is set (history_ttl is "
                    + GoDuration.format(d.historyTtl) + "); set both or neither");
            ok = false;
        }
        if (!wholeSeconds(d.historyTtl)) {
            report.error(path + ".history_ttl", "must be a whole number of seconds, got "
                    + GoDuration.format(d.historyTtl));
            ok = false;
        }
        if (!wholeSeconds(d.historyMetaTtl)) {
            report.error(path + ".history_meta_ttl", "must be a whole number of seconds, got "
                    + GoDuration.format(d.historyMetaTtl));
            ok = false;
        }
        Duration metaTtl = d.historyMetaTtl.isPositive() ? d.historyMetaTtl : globalMetaTtl;
        if (d.historyTtl.compareTo(metaTtl) > 0) {
            report.error(path + ".history_ttl", GoDuration.format(d.historyTtl) + " is longer than the history "
                    + "meta TTL " + GoDuration.format(metaTtl) + " (" + (d.historyMetaTtl.isPositive()
                    ? path + ".history_meta_ttl" : "channel.history_meta_ttl") + "); publications would outlive "
                    + "their stream");
            ok = false;
        }
        if (d.forceRecovery && (d.historySize == 0 || !d.historyTtl.isPositive())) {
            report.error(path + ".force_recovery", "requires history: set history_size and history_ttl");
            ok = false;
        }
        return ok;
    }

    /**
     * Keys that cannot be read and combinations Centrifugo refuses, found now rather than at the first
     * connect: an unreadable PEM key, a JWKS endpoint that is not a plain http(s) URL (Centrifugo's
     * {@code {{…}}} templates are not supported), {@code audience} with {@code audience_regex}, {@code issuer}
     * with {@code issuer_regex}. The values themselves are never echoed (they may be secrets).
     */
    private static void checkTokenOptions(String prefix, TokenOptions.Builder token, ConfigReport report) {
        TokenOptions o;
        try {
            o = token.build();
        } catch (IllegalArgumentException e) {
            report.error(prefix, e.getMessage());
            // The draft is not built after an error, so clearing these to check the keys below is harmless.
            o = token.audience("").issuer("").build();
        }
        if (!o.rsaPublicKey().isEmpty()) {
            checkPem(prefix + ".rsa_public_key", o.rsaPublicKey(), "RSA", report);
        }
        if (!o.ecdsaPublicKey().isEmpty()) {
            checkPem(prefix + ".ecdsa_public_key", o.ecdsaPublicKey(), "EC", report);
        }
        String jwks = o.jwksPublicEndpoint();
        if (!jwks.isEmpty()) {
            try {
                URI uri = new URI(jwks);
                if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                        || "https".equalsIgnoreCase(uri.getScheme()))) {
                    report.error(prefix + ".jwks_public_endpoint", "must be an http:// or https:// URL");
                }
            } catch (URISyntaxException e) {
                report.error(prefix + ".jwks_public_endpoint", "not a URL" + (jwks.contains("{{")
                        ? " (templated endpoints are not supported)" : ": " + e.getReason()));
            }
        }
    }

    private static void checkPem(String key, String value, String algorithm, ConfigReport report) {
        try {
            PemKeys.parse(value, algorithm);
        } catch (IllegalArgumentException e) {
            report.error(key, e.getMessage());
        }
    }

    private static boolean wholeSeconds(Duration d) {
        return d.getNano() == 0;
    }
}
