package dev.weft.server.config;

import dev.weft.core.channel.ChannelOptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lookup tables derived once from {@link OptionCatalog} and {@link UnsupportedOption}: dotted keys, the
 * sections that hold them, and environment variable names. Immutable; any thread.
 */
final class KeyIndex {

    /** Supported dotted keys (including {@code channel.namespaces}) → option (null for namespaces). */
    static final Map<String, Option<WeftConfig, ConfigDraft, ?>> SUPPORTED;
    /** Supported channel options by relative key. */
    static final Map<String, Option<ChannelOptions, ChannelDraft, ?>> CHANNEL;
    /** Unsupported keys, absolute. */
    static final Map<String, UnsupportedOption> UNSUPPORTED;
    /** Unsupported channel options by relative key. */
    static final Map<String, UnsupportedOption> UNSUPPORTED_CHANNEL;
    /** Proper prefixes of known keys: {@code client}, {@code client.token}, … */
    static final Set<String> SECTIONS;
    /** Environment suffix (after {@code WEFT_}) → supported key. */
    static final Map<String, String> SUPPORTED_ENV;
    /** Environment suffix of a renamed key ({@code DOCS_DATA_DIR}) → its old dotted key. */
    static final Map<String, String> RENAMED_ENV;
    /** Channel option environment suffix ({@code HISTORY_TTL}) → relative key, supported and unsupported. */
    static final Map<String, String> CHANNEL_ENV;
    /** Unsupported keys, longest environment suffix first, for prefix matching. */
    static final List<UnsupportedOption> UNSUPPORTED_BY_ENV_LENGTH;
    /** Keys of options that hold a list of strings (text from the environment may be a JSON list). */
    static final Set<String> STRING_LIST_KEYS;

    static {
        Map<String, Option<WeftConfig, ConfigDraft, ?>> supported = new LinkedHashMap<>();
        Set<String> lists = new LinkedHashSet<>();
        for (Option<WeftConfig, ConfigDraft, ?> o : OptionCatalog.topLevel()) {
            supported.put(o.key(), o);
            if (o.type() == OptionType.STRING_LIST) {
                lists.add(o.key());
            }
        }
        supported.put(OptionCatalog.NAMESPACES_KEY, null);
        ProxyConfigDecoder.SECTIONS.keySet().forEach(key -> supported.put(key, null));
        supported.put(PostgresChangesDecoder.KEY, null);
        supported.put(ConsumersConfigDecoder.KEY, null);
        SUPPORTED = Collections.unmodifiableMap(supported);
        STRING_LIST_KEYS = Collections.unmodifiableSet(lists);

        Map<String, Option<ChannelOptions, ChannelDraft, ?>> channel = new LinkedHashMap<>();
        Map<String, String> channelEnv = new HashMap<>();
        for (Option<ChannelOptions, ChannelDraft, ?> o : OptionCatalog.channel()) {
            channel.put(o.key(), o);
            channelEnv.put(OptionCatalog.envSuffix(o.key()), o.key());
        }
        CHANNEL = Collections.unmodifiableMap(channel);

        Map<String, UnsupportedOption> unsupported = new LinkedHashMap<>();
        UnsupportedOption.ALL.forEach(u -> unsupported.put(u.key(), u));
        UNSUPPORTED = Collections.unmodifiableMap(unsupported);
        Map<String, UnsupportedOption> unsupportedChannel = new LinkedHashMap<>();
        for (UnsupportedOption u : UnsupportedOption.CHANNEL) {
            unsupportedChannel.put(u.key(), u);
            channelEnv.put(OptionCatalog.envSuffix(u.key()), u.key());
        }
        UNSUPPORTED_CHANNEL = Collections.unmodifiableMap(unsupportedChannel);
        CHANNEL_ENV = Map.copyOf(channelEnv);

        SECTIONS = Collections.unmodifiableSet(OptionCatalog.knownSections());

        Map<String, String> env = new HashMap<>();
        for (String key : SUPPORTED.keySet()) {
            String previous = env.put(OptionCatalog.envSuffix(key), key);
            if (previous != null) {
                throw new IllegalStateException("keys " + previous + " and " + key + " share an env name");
            }
        }
        SUPPORTED_ENV = Map.copyOf(env);
        Map<String, String> renamedEnv = new HashMap<>();
        for (RenamedOption r : RenamedOption.ALL) {
            renamedEnv.put(OptionCatalog.envSuffix(r.oldKey()), r.oldKey());
        }
        RENAMED_ENV = Map.copyOf(renamedEnv);

        List<UnsupportedOption> byLength = new ArrayList<>(UnsupportedOption.ALL);
        byLength.sort(Comparator.comparingInt((UnsupportedOption u) -> u.key().length()).reversed());
        UNSUPPORTED_BY_ENV_LENGTH = List.copyOf(byLength);
    }

    private KeyIndex() {
    }

    /** The unsupported entry an environment suffix falls under, or null. */
    static UnsupportedOption unsupportedForEnv(String suffix) {
        for (UnsupportedOption u : UNSUPPORTED_BY_ENV_LENGTH) {
            String own = OptionCatalog.envSuffix(u.key());
            if (suffix.equals(own) || suffix.startsWith(own + "_")) {
                return u;
            }
        }
        return null;
    }

    /** The unsupported entry a dotted key is (or lies under), or null. */
    static UnsupportedOption unsupportedForKey(String key) {
        String k = key;
        while (true) {
            UnsupportedOption u = UNSUPPORTED.get(k);
            if (u != null) {
                return u;
            }
            int dot = k.lastIndexOf('.');
            if (dot < 0) {
                return null;
            }
            k = k.substring(0, dot);
        }
    }

    /** Known child names of a section ("" = top level): supported, unsupported and sub-sections. */
    static Set<String> childrenOf(String section) {
        Set<String> out = new LinkedHashSet<>();
        String prefix = section.isEmpty() ? "" : section + ".";
        List<String> all = new ArrayList<>(SUPPORTED.keySet());
        all.addAll(UNSUPPORTED.keySet());
        all.addAll(SECTIONS);
        for (String key : all) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                String rest = key.substring(prefix.length());
                int dot = rest.indexOf('.');
                out.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return out;
    }

    /** Every dotted key and section, supported first: candidates for "did you mean". */
    static List<String> allKeys() {
        List<String> out = new ArrayList<>(SUPPORTED.keySet());
        out.addAll(UNSUPPORTED.keySet());
        out.addAll(SECTIONS);
        return out;
    }
}
