package dev.weft.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import dev.weft.server.logging.JsonLogLayout;
import dev.weft.server.config.LogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.*} to logback: the root level, a log file instead of the console when one is set, and
 * JSON lines ({@link JsonLogLayout}) instead of text when {@code log.format} is {@code json}.
 */
final class LogSetup {
    /**
     * The console pattern of logback.xml, with the full date and offset a log file needs. Its {@code %msg} is
     * logback.xml's {@link dev.weft.server.logging.SafeMessageConverter} (conversion rules belong to the logger
     * context), so file lines are escaped like console ones.
     */
    static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%n";

    private LogSetup() {
    }

    static void apply(LogConfig config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend: it has its own configuration
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel("none".equals(config.level()) ? Level.OFF : Level.toLevel(config.level(), Level.INFO));
        if (config.file().isEmpty()) {
            if (config.json() && root.getAppender("console") instanceof OutputStreamAppender<ILoggingEvent> console) {
                console.stop();
                console.setEncoder(encoder(context, config));
                console.start();
            }
            return;
        }
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(config.file());
        file.setAppend(true);
        file.setEncoder(encoder(context, config));
        file.start();
        if (!file.isStarted()) {
            root.warn("cannot write log file {}; logging to the console", config.file());
            return;
        }
        root.detachAndStopAllAppenders();
        root.addAppender(file);
    }

    /** JSON lines, or {@link #FILE_PATTERN} text. */
    private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogConfig config) {
        if (config.json()) {
            JsonLogLayout layout = new JsonLogLayout();
            layout.setContext(context);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setContext(context);
            encoder.setLayout(layout);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(FILE_PATTERN);
        encoder.start();
        return encoder;
    }
}
