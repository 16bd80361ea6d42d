package org.borderwatch.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service's container image as Jib wrote it ({@code services/<name>/target/jib-image.tar}, the format of
 * {@code docker save}): its container configuration and its layers unpacked, in order, into a root file system.
 *
 * <p>{@link #start} runs the image the way a container runtime would, without one: in a private mount namespace, the
 * unpacked layers become the root ({@code chroot}) with the image's user, environment and entrypoint. The base
 * image's layers (a JRE and a shell) are the one thing replaced: the host's {@code /usr} and {@code /etc} are bound
 * in read-only, so an image built {@code FROM scratch} (no registry reachable) runs too. Needs root (as CI runs).
 */
final class ServiceImage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final Path rootfs;
    private final JsonNode manifest;
    private final JsonNode config;

    private ServiceImage(final String service, final Path rootfs, final JsonNode manifest, final JsonNode config) {
        this.service = service;
        this.rootfs = rootfs;
        this.manifest = manifest;
        this.config = config;
    }

    /** Unpacks the image of {@code services/<service>} into {@code workDir}. */
    static ServiceImage unpack(final Path repositoryRoot, final String service, final Path workDir) {
        final Path tar = repositoryRoot.resolve("services").resolve(service).resolve("target/jib-image.tar");
        if (!Files.isRegularFile(tar)) {
            throw new IllegalStateException(tar + " is missing: build the images with `mvn -Pimages package`"
                    + " (here, without a registry: -Djib.from.image=scratch)");
        }
        final Path image = workDir.resolve(service + "-image");
        final Path rootfs = workDir.resolve(service + "-rootfs");
        try {
            Files.createDirectories(image);
            Files.createDirectories(rootfs);
            run("tar", "-xf", tar.toString(), "-C", image.toString());
            final JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
            final JsonNode config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile());
            // As root, tar keeps each entry's owner and mode: the file system is the image's.
            for (final JsonNode layer : manifest.get("Layers")) {
                run("tar", "--same-owner", "-p", "-xzf", image.resolve(layer.asText()).toString(),
                        "-C", rootfs.toString());
            }
            return new ServiceImage(service, rootfs, manifest, config);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot unpack " + tar, e);
        }
    }

    String service() {
        return service;
    }

    Path rootfs() {
        return rootfs;
    }

    /** Docker's {@code RepoTags}: the names {@code docker load} gives the image. */
    List<String> repoTags() {
        final List<String> tags = new ArrayList<>();
        manifest.get("RepoTags").forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    /** The container configuration ({@code config} of the image configuration): User, Env, Entrypoint, ... */
    JsonNode container() {
        return config.get("config");
    }

    /** {@code Env} as a map. */
    Map<String, String> environment() {
        final Map<String, String> env = new java.util.LinkedHashMap<>();
        final JsonNode list = container().get("Env");
        if (list != null) {
            list.forEach(entry -> {
                final String[] pair = entry.asText().split("=", 2);
                env.put(pair[0], pair[1]);
            });
        }
        return env;
    }

    List<String> entrypoint() {
        final List<String> entrypoint = new ArrayList<>();
        container().get("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
        return entrypoint;
    }

    /**
     * Copies a host file into the image's file system, readable by everyone (a compose secret is mounted so).
     *
     * @param inImage absolute path inside the image, e.g. {@code /run/secrets/borderwatch-credentials}
     */
    void addFile(final Path source, final String inImage) {
        final Path target = rootfs.resolve(inImage.substring(1));
        try {
            Files.createDirectories(target.getParent());
            Files.copy(source, target);
            target.toFile().setReadable(true, false);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " into the image", e);
        }
    }

    /**
     * Starts the entrypoint as the image's user with the image's environment plus {@code env}; output to
     * {@code log}. The returned process is the JVM itself (every step {@code exec}s the next), so destroying it
     * sends SIGTERM to the service as {@code docker stop} would.
     */
    Process start(final Map<String, String> env, final Path log) throws IOException {
        final List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
                "--", "bash", "-euc", MOUNTS, "bash", rootfs.toString(), container().get("User").asText(), "env",
                "-i"));
        // The base image's part of the environment: where its java is (eclipse-temurin: /opt/java/openjdk/bin).
        command.add("PATH=" + Path.of(System.getProperty("java.home"), "bin")
                + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        environment().forEach((key, value) -> command.add(key + "=" + value));
        env.forEach((key, value) -> command.add(key + "=" + value));
        command.addAll(entrypoint());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    // $1 root file system, $2 user[:group], then the command. The mounts live only in this process's namespace:
    // when it ends they are gone, and the host never sees them.
    private static final String MOUNTS = """
            root="$1"; user="$2"; shift 2
            for d in usr etc proc dev tmp; do mkdir -p "$root/$d"; done
            for l in bin sbin lib lib64; do [ -e "$root/$l" ] || ln -s "usr/$l" "$root/$l"; done
            mount --rbind /usr "$root/usr"; mount -o remount,bind,ro "$root/usr"
            mount --rbind /etc "$root/etc"; mount -o remount,bind,ro "$root/etc"
            mount --rbind /proc "$root/proc"
            mount --rbind /dev "$root/dev"
            mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
            exec chroot --userspec="$user" "$root" "$@"
            """;

    private static void run(final String... command) throws IOException {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
