package org.borderwatch.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Every line the JVM logs through Logback while it is open, as the logger's name, the formatted message and any stack
 * trace: what a test needs to say that a failure was logged, and that no line holds a secret. Logback is the
 * caller's (the services log through it); this module only compiles against it.
 */
public final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(final ILoggingEvent event) {
            lines.add(event.getLoggerName() + " " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? ""
                            : ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
    };

    private LogCapture() {
    }

    /** Starts capturing at the root logger. */
    public static LogCapture start() {
        final LogCapture capture = new LogCapture();
        capture.appender.start();
        root().addAppender(capture.appender);
        return capture;
    }

    /** The lines so far; the list keeps growing while the capture is open. */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        root().detachAppender(appender);
        appender.stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
