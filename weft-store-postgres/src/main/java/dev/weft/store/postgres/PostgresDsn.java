package dev.weft.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A Postgres address as operators write it — libpq's URI form {@code postgresql://user:pass@host:port/db?…}
 * (or {@code postgres://…}) — or as JDBC does ({@code jdbc:postgresql://…}), turned into what pgjdbc takes: a
 * JDBC URL without credentials and the user and password as properties, so the password never appears in a URL
 * that a log line or an error message could show.
 *
 * @param jdbcUrl  {@code jdbc:postgresql://host:port/db?params}
 * @param user     the user, empty for the driver's default
 * @param password the password, empty for none
 */
public record PostgresDsn(String jdbcUrl, String user, String password) {

    /**
     * @throws IllegalArgumentException when {@code dsn} is neither form; the message names what is wrong (never
     *     the password)
     */
    public static PostgresDsn parse(String dsn) {
        String trimmed = dsn == null ? "" : dsn.strip();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new PostgresDsn(trimmed, "", "");
        }
        int scheme = trimmed.indexOf("://");
        String name = scheme < 0 ? "" : trimmed.substring(0, scheme);
        if (!name.equals("postgresql") && !name.equals("postgres")) {
            throw new IllegalArgumentException("a Postgres address starts with postgresql://, postgres:// or "
                    + "jdbc:postgresql:// (e.g. postgresql://user:password@127.0.0.1:5432/weft)");
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid postgresql:// URI: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the postgresql:// URI names no host");
        }
        String user = "";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[")
                ? "[" + uri.getHost() + "]" : uri.getHost();
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host);
        if (uri.getPort() > 0) {
            url.append(':').append(uri.getPort());
        }
        url.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            url.append('?').append(uri.getRawQuery());
        }
        return new PostgresDsn(url.toString(), user, password);
    }

    /** The connection properties: user and password when the address had them. */
    public Properties properties() {
        Properties properties = new Properties();
        if (!user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        return properties;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The address without its password. */
    @Override
    public String toString() {
        return jdbcUrl + (user.isEmpty() ? "" : " as " + user);
    }
}
