package org.borderwatch.cli.publish;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.borderwatch.cli.CliException;
import org.borderwatch.cli.DurationConverter;
import org.borderwatch.cli.http.ApiClient;
import org.borderwatch.cli.http.RetryBudget;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Sends a file of incidents and seizures through the ingest API's {@code POST /v1/batch} in chunks, several chunks
 * in flight at once, shows a progress bar, and ends with a summary: accepted, rejected with the rule each line broke,
 * and lines whose outcome is unknown because Kafka did not confirm them. While Kafka is unavailable (503, or a batch
 * with every line failed) it waits as the API says ({@link RetryBudget}) and gives up after {@code --give-up-after}.
 * Exit code 0 when every line was accepted, 3 when some were rejected, 1 when the API could not be used (unreachable,
 * refused the key, Kafka unavailable past the budget), 2 for a wrong command line or an unreadable file.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish incidents and seizures from an NDJSON or CSV file through the ingest API.")
public final class PublishCommand implements Callable<Integer> {

    static final String NDJSON = "application/x-ndjson";

    @Parameters(index = "0", description = "NDJSON (.ndjson, .jsonl) or CSV (.csv) file")
    Path file;

    @Option(names = "--url", defaultValue = "${env:BORDERWATCH_INGEST_URL:-http://127.0.0.1:8081}",
            description = "Ingest API base URL (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--api-key", defaultValue = "${env:BORDERWATCH_API_KEY}",
            description = "API key of the publishing agency (default: $BORDERWATCH_API_KEY)")
    String apiKey;

    @Option(names = "--type", description = "incident or seizure, for lines or CSV rows without a type")
    String type;

    @Option(names = "--shift-to-now", description = "Move all event times so the latest is now (replay a recorded scenario)")
    boolean shiftToNow;

    @Option(names = "--chunk", defaultValue = "1000",
            description = "Lines per batch request, 1 to the API's borderwatch.ingest.max-batch-lines (default:"
                    + " ${DEFAULT-VALUE})")
    int chunk;

    @Option(names = "--parallel", defaultValue = "4",
            description = "Batch requests in flight at once, 1 to 64 (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--give-up-after", defaultValue = "60s", converter = DurationConverter.class,
            description = "While Kafka is unavailable, retry for this long without a single accepted line, then"
                    + " stop with exit code 1, e.g. 60s or 5m (default: ${DEFAULT-VALUE})")
    Duration giveUpAfter;

    @Override
    public Integer call() throws InterruptedException {
        if (chunk < 1) {
            throw new CliException(2, "--chunk must be at least 1; got " + chunk);
        }
        if (parallel < 1 || parallel > 64) {
            throw new CliException(2, "--parallel must be between 1 and 64; got " + parallel);
        }
        final PrintStream err = System.err;
        final Progress progress = new Progress(err);
        final ApiClient client = ApiClient.forCommand(ApiClient.Service.INGEST, url, apiKey, giveUpAfter,
                progress::notice);
        final List<EventFile.Line> lines = read();
        progress.start(lines.size());
        final Summary summary = new Summary();
        final List<List<EventFile.Line>> chunks = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += chunk) {
            chunks.add(lines.subList(from, Math.min(lines.size(), from + chunk)));
        }
        final long started = System.nanoTime();
        final ExecutorService senders = Executors.newFixedThreadPool(Math.min(parallel, Math.max(1, chunks.size())),
                runnable -> {
                    final Thread thread = new Thread(runnable, "publish-sender");
                    thread.setDaemon(true);
                    return thread;
                });
        String stoppedBecause = null;
        try {
            final CompletionService<ChunkResult> done = new ExecutorCompletionService<>(senders);
            int next = 0;
            int inFlight = 0;
            // The window: at most `parallel` chunks in flight; a new one only when one came back, and none once
            // the API became unusable, so a dead Kafka costs one budget, not one per chunk.
            while (next < chunks.size() && inFlight < parallel) {
                final List<EventFile.Line> part = chunks.get(next++);
                done.submit(() -> ChunkResult.send(client, part));
                inFlight++;
            }
            while (inFlight > 0) {
                final ChunkResult result = done.take().get();
                inFlight--;
                summary.add(result);
                progress.update(summary.sent(), summary.accepted(), summary.notAccepted());
                if (result.fatal() != null && stoppedBecause == null) {
                    stoppedBecause = result.fatal();
                }
                if (stoppedBecause == null && next < chunks.size()) {
                    final List<EventFile.Line> part = chunks.get(next++);
                    done.submit(() -> ChunkResult.send(client, part));
                    inFlight++;
                }
            }
            for (int i = next; i < chunks.size(); i++) {
                summary.notSent(chunks.get(i));
            }
        } catch (final ExecutionException e) {
            // ChunkResult.send catches what it can expect; anything else is a bug worth its own line.
            throw new IllegalStateException("sending a batch failed: " + e.getCause(), e.getCause());
        } finally {
            senders.shutdownNow();
        }
        progress.done();
        final double seconds = (System.nanoTime() - started) / 1e9;
        if (stoppedBecause != null) {
            err.println(stoppedBecause);
        }
        summary.print(System.out, lines.size(), seconds);
        if (stoppedBecause != null) {
            return 1;
        }
        return summary.allAccepted() ? 0 : 3;
    }

    private List<EventFile.Line> read() {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException(2, "cannot read " + file + ": " + (Files.exists(file)
                    ? (Files.isDirectory(file) ? "it is a directory" : "permission denied") : "no such file"));
        }
        try {
            final List<EventFile.Line> read = EventFile.read(file, type);
            return shiftToNow ? EventFile.shiftToNow(read, Instant.now()) : read;
        } catch (final CharacterCodingException e) {
            throw new CliException(2, "cannot read " + file + ": it is not UTF-8 text");
        } catch (final IOException e) {
            throw new CliException(2, "cannot read " + file + ": " + e.getMessage());
        }
    }
}
