package io.bitvision.jobs.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.filter.AbstractFilter;

/**
 * Everything this JVM logs (log4j 2 at INFO and above, from every logger: Flink's MiniCluster, the Kafka clients,
 * our operators) and prints on standard output and standard error while it is open. The console keeps showing what
 * it showed before: the appenders that were there get only events their logger's old level let through.
 */
final class LogCapture implements AutoCloseable {
    private static final String NAME = "bitvision-test-capture";

    private final StringBuffer events = new StringBuffer();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final Map<LoggerConfig, Level> levels = new HashMap<>();
    private final Map<LoggerConfig, Map<String, Appender>> appenders = new HashMap<>();
    private final Appender appender;
    private int eventCount;

    LogCapture() {
        appender = new AbstractAppender(NAME, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                StringBuilder line = new StringBuilder()
                        .append(event.getLevel()).append(' ')
                        .append(event.getLoggerName()).append(" - ")
                        .append(event.getMessage().getFormattedMessage()).append('\n');
                if (event.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    event.getThrown().printStackTrace(new PrintWriter(trace));
                    line.append(trace);
                }
                synchronized (events) {
                    events.append(line);
                    eventCount++;
                }
            }
        };
        appender.start();
        Configuration config = context.getConfiguration();
        config.addAppender(appender);
        Map<String, LoggerConfig> loggers = new HashMap<>(config.getLoggers());
        loggers.put("", config.getRootLogger());
        for (LoggerConfig logger : loggers.values()) {
            levels.put(logger, logger.getLevel());
            Map<String, Appender> existing = new HashMap<>(logger.getAppenders());
            appenders.put(logger, existing);
            for (Map.Entry<String, Appender> e : existing.entrySet()) {
                logger.removeAppender(e.getKey());
                logger.addAppender(e.getValue(), null, new AsBefore(config));
            }
            if (logger.getLevel() == null || logger.getLevel().isMoreSpecificThan(Level.INFO)) {
                logger.setLevel(Level.INFO);
            }
        }
        config.getRootLogger().addAppender(appender, Level.INFO, null);
        context.updateLoggers();
        System.setOut(new PrintStream(new Tee(originalOut, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, printed), true, StandardCharsets.UTF_8));
    }

    /** Log events and printed text so far. */
    String text() {
        String logged;
        synchronized (events) {
            logged = events.toString();
        }
        String out;
        synchronized (printed) {
            out = printed.toString(StandardCharsets.UTF_8);
        }
        return logged + "\n---- printed ----\n" + out;
    }

    int events() {
        synchronized (events) {
            return eventCount;
        }
    }

    @Override
    public void close() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(NAME);
        // Levels first, so that nothing below them reaches the console while its filter is being removed.
        levels.forEach(LoggerConfig::setLevel);
        context.updateLoggers();
        for (Map.Entry<LoggerConfig, Map<String, Appender>> e : appenders.entrySet()) {
            LoggerConfig logger = e.getKey();
            for (Map.Entry<String, Appender> a : e.getValue().entrySet()) {
                logger.removeAppender(a.getKey());
                logger.addAppender(a.getValue(), null, null);
            }
        }
        context.updateLoggers();
        appender.stop();
    }

    /** Lets an event through when the level its logger had before the capture would have. */
    private final class AsBefore extends AbstractFilter {
        private final Configuration config;

        AsBefore(Configuration config) {
            this.config = config;
        }

        @Override
        public Result filter(LogEvent event) {
            Level before = levels.get(config.getLoggerConfig(event.getLoggerName()));
            return event.getLevel().isMoreSpecificThan(before == null ? Level.WARN : before) ? Result.NEUTRAL : Result.DENY;
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            try {
                console.write(b);
            } catch (java.io.IOException e) {
                // The console is not what is tested.
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            try {
                console.write(b, off, len);
            } catch (java.io.IOException e) {
                // The console is not what is tested.
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            console.flush();
        }
    }
}
