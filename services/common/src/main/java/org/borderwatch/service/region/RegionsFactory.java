package org.borderwatch.service.region;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Regions} bean: the built-in list plus the file named by {@value #EXTRA_FILE_PROPERTY}, if set. */
@Factory
public final class RegionsFactory {

    public static final String EXTRA_FILE_PROPERTY = "borderwatch.regions.extra-file";

    private static final Logger LOG = LoggerFactory.getLogger(RegionsFactory.class);

    @Singleton
    Regions regions(@Property(name = EXTRA_FILE_PROPERTY) @Nullable final String extraFile) {
        final Regions builtIn = Regions.builtIn();
        if (extraFile == null || extraFile.isBlank()) {
            return builtIn;
        }
        final Path path = Path.of(extraFile).toAbsolutePath();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            final Regions regions = builtIn.plus(reader, path.toString());
            LOG.info("Regions: {} built in, {} after adding {}", builtIn.all().size(), regions.all().size(), path);
            return regions;
        } catch (final NoSuchFileException e) {
            throw new IllegalStateException(EXTRA_FILE_PROPERTY + " names " + path + ", which does not exist");
        } catch (final IOException e) {
            throw new IllegalStateException("cannot read " + EXTRA_FILE_PROPERTY + " " + path + ": " + e, e);
        }
    }
}
