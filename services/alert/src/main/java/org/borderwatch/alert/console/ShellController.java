package org.borderwatch.alert.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * The console's page at {@code /}: the shell only (markup that loads {@code /console/*.js}), with no data, so it is
 * served to anyone; everything shown comes from the authenticated API afterwards. The other files are static
 * resources ({@code micronaut.router.static-resources.console}).
 */
@Controller
@Hidden
public final class ShellController {

    static final String INDEX = "console/index.html";

    private final byte[] index;

    public ShellController() {
        try (InputStream in = ShellController.class.getClassLoader().getResourceAsStream(INDEX)) {
            if (in == null) {
                throw new IllegalStateException(INDEX + " is missing from the classpath");
            }
            this.index = in.readAllBytes();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(produces = MediaType.TEXT_HTML)
    @Secured(SecurityRule.IS_ANONYMOUS)
    public HttpResponse<byte[]> index() {
        // Always the current shell after a deployment; the scripts it names may be cached.
        return HttpResponse.ok(index).contentType(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-cache");
    }
}
