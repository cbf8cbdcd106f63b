package io.cdcmarts.capture;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects everything some loggers say at INFO and above (without printing it), so a test can
 * check what the logs of a whole run contain.
 */
final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Map<Logger, Level> levels = new java.util.HashMap<>();
    private final Map<Logger, Boolean> additivity = new java.util.HashMap<>();

    LogCapture(String... loggerNames) {
        appender.start();
        for (String name : loggerNames) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            levels.put(logger, logger.getLevel());
            additivity.put(logger, logger.isAdditive());
            logger.setLevel(Level.INFO);
            logger.setAdditive(false);
            logger.addAppender(appender);
        }
    }

    /** Every captured message, formatted, with the messages of its exception chain. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(appender.list)) {
            StringBuilder line = new StringBuilder(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getMessage());
            }
            out.add(line.toString());
        }
        return out;
    }

    @Override
    public void close() {
        levels.forEach((logger, level) -> {
            logger.detachAppender(appender);
            logger.setLevel(level);
            logger.setAdditive(additivity.get(logger));
        });
        appender.stop();
    }
}
