package org.borderwatch.bench.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One real headless Chromium (Debian's {@code chromium} and {@code chromedriver}; Selenium is given both paths, so
 * it never downloads a browser or driver) with a fresh profile and a 1366×768 window, pointed at the console.
 * Keeps every browser log line it reads, for the "no errors in the console" checks.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("borderwatch.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("borderwatch.chromedriver", "/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final URI base;
    private final Path screenshots;
    private final List<LogEntry> logs = new ArrayList<>();

    ConsoleBrowser(final URI base, final Path screenshots) {
        this.base = base;
        this.screenshots = screenshots;
        try {
            this.profile = Files.createTempDirectory("console-chromium-");
            Files.createDirectories(screenshots);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1366,768", "--lang=en-GB");
        final LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        this.service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        // The viewport itself 1366×768, the screen the console is designed for (a window of that size has less).
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", 1366,
                "height", 768, "deviceScaleFactor", 1, "mobile", false));
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    ChromeDriver driver() {
        return driver;
    }

    void open() {
        driver.get(base.resolve("/").toString());
    }

    /** Opens the console and signs in with {@code key} through the form, as a person would. */
    void signIn(final String key) {
        open();
        final WebElement input = waitVisible(By.id("signin-key"));
        input.sendKeys(key);
        driver.findElement(By.id("signin-submit")).click();
        waitVisible(By.id("app"));
        waitUntil(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
    }

    WebElement waitVisible(final By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    <T> T waitUntil(final java.util.function.Function<org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).pollingEvery(Duration.ofMillis(200)).until(condition);
    }

    Object script(final String script, final Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    Object asyncScript(final String script, final Object... arguments) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, arguments);
    }

    /** The session cookie as the browser holds it (WebDriver can read HttpOnly cookies; page script cannot). */
    Cookie sessionCookie() {
        return driver.manage().getCookieNamed("bw_session");
    }

    Path screenshot(final String name) {
        final Path target = screenshots.resolve(name + ".png");
        try {
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Every browser log line so far (console messages, failed loads, CSP violations). */
    List<LogEntry> logs() {
        logs.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        return List.copyOf(logs);
    }

    List<String> errors() {
        return logs().stream().filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(entry -> entry.getLevel() + " " + entry.getMessage()).toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(final Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException e) {
            // a temporary profile left behind is harmless
        }
    }
}
