package dev.weft.server.config;

/**
 * {@code admin.*} (Centrifugo's keys) and {@code demo.*} (a Weft addition): the pages Weft serves besides its
 * start page.
 *
 * @param adminEnabled  serve the admin UI at {@code /admin}
 * @param adminPassword what the admin login asks for
 * @param adminSecret   key that signs admin sessions (HMAC-SHA256); changing it ends every session
 * @param demoEnabled   serve the demos under {@code /demo/}, the {@code demo} and {@code demo_ai} namespaces
 *                      they use, the AI chat's question endpoint and fake model, and anonymous connections
 * @param demoPostgresDsn with {@code demoEnabled}: the Postgres (wal_level=logical) the live dashboard demo
 *                      keeps its tables in and streams changes from; empty = no dashboard
 */
public record WebConfig(boolean adminEnabled, String adminPassword, String adminSecret, boolean demoEnabled,
                        String demoPostgresDsn) {
    public static final WebConfig DEFAULT = new WebConfig(false, "", "", false, "");
    /** Shorter admin secrets are refused: a guessable key lets anyone forge sessions offline. */
    public static final int ADMIN_SECRET_MIN_LENGTH = 16;

    public WebConfig {
        adminPassword = adminPassword == null ? "" : adminPassword;
        adminSecret = adminSecret == null ? "" : adminSecret;
        demoPostgresDsn = demoPostgresDsn == null ? "" : demoPostgresDsn.strip();
    }

    /** Without the dashboard demo's Postgres. */
    public WebConfig(boolean adminEnabled, String adminPassword, String adminSecret, boolean demoEnabled) {
        this(adminEnabled, adminPassword, adminSecret, demoEnabled, "");
    }

    public WebConfig withAdminEnabled(boolean v) {
        return new WebConfig(v, adminPassword, adminSecret, demoEnabled, demoPostgresDsn);
    }

    public WebConfig withAdminPassword(String v) {
        return new WebConfig(adminEnabled, v, adminSecret, demoEnabled, demoPostgresDsn);
    }

    public WebConfig withAdminSecret(String v) {
        return new WebConfig(adminEnabled, adminPassword, v, demoEnabled, demoPostgresDsn);
    }

    public WebConfig withDemoEnabled(boolean v) {
        return new WebConfig(adminEnabled, adminPassword, adminSecret, v, demoPostgresDsn);
    }

    public WebConfig withDemoPostgresDsn(String v) {
        return new WebConfig(adminEnabled, adminPassword, adminSecret, demoEnabled, v);
    }
}
