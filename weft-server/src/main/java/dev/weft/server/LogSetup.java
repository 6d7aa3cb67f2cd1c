package dev.weft.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.weft.server.config.LogConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code log.*} to logback: the root level, and a log file instead of the console when one is set. */
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
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(FILE_PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(config.file());
        file.setAppend(true);
        file.setEncoder(encoder);
        file.start();
        if (!file.isStarted()) {
            root.warn("cannot write log file {}; logging to the console", config.file());
            return;
        }
        root.detachAndStopAllAppenders();
        root.addAppender(file);
    }
}
