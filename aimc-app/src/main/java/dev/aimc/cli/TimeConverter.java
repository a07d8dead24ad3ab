package dev.aimc.cli;

import dev.aimc.util.ConfigException;
import dev.aimc.util.Times;
import picocli.CommandLine;

/**
 * Picocli converter for options that take times since programming ({@code --time}, {@code --times}): one value in
 * seconds, or a number with a unit (s, m, h, d, w, mo, y), as {@link Times#parseOne} reads it everywhere, so
 * {@code 1h} means the same to every command.
 */
public final class TimeConverter implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
        try {
            return Times.parseOne("time", value);
        } catch (ConfigException e) {
            throw new CommandLine.TypeConversionException("'" + value.strip() + "' is not a time >= 0: seconds, or a"
                    + " number with s, m, h, d, w, mo or y (1h, 1d, 1y)");
        }
    }
}
