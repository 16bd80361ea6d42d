package org.borderwatch.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options (the last one wins, or all of them through {@link #all}) and {@code --flag} switches;
 * anything unknown is refused with the usage line.
 */
final class CommandLine {

    private final Map<String, String> values = new HashMap<>();
    private final Map<String, List<String>> repeated = new HashMap<>();
    private final String usage;

    private CommandLine(final String usage) {
        this.usage = usage;
    }

    static CommandLine parse(final String[] args, final Set<String> options, final Set<String> flags,
                             final String usage) {
        final CommandLine line = new CommandLine(usage);
        final List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            final String arg = list.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException(usage);
            }
            final String name = arg.startsWith("--") ? arg.substring(2) : "";
            if (flags.contains(name)) {
                line.values.put(name, "true");
            } else if (options.contains(name) && i + 1 < list.size()) {
                final String value = list.get(++i);
                line.values.put(name, value);
                line.repeated.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown or incomplete option '" + arg + "'\n" + usage);
            }
        }
        return line;
    }

    String text(final String name, final String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** Every value given for a repeatable option, in order. */
    List<String> all(final String name) {
        return repeated.getOrDefault(name, List.of());
    }

    /** A repeatable {@code NAME=VALUE} option as a map; a value without '=' is a usage error. */
    Map<String, String> env(final String name) {
        final Map<String, String> env = new LinkedHashMap<>();
        for (final String setting : all(name)) {
            final int equals = setting.indexOf('=');
            if (equals < 1) {
                throw new UsageException("--" + name + " takes NAME=VALUE, was '" + setting + "'\n" + usage);
            }
            env.put(setting.substring(0, equals), setting.substring(equals + 1));
        }
        return env;
    }

    long number(final String name, final long fallback) {
        final String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (final NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, was '" + value + "'\n" + usage);
        }
    }

    double decimal(final String name, final double fallback) {
        final String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (final NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, was '" + value + "'\n" + usage);
        }
    }

    boolean flag(final String name) {
        return values.containsKey(name);
    }

    /** A wrong command line: the message is for the user, the exit code is 2. */
    static final class UsageException extends RuntimeException {

        UsageException(final String message) {
            super(message);
        }
    }
}
