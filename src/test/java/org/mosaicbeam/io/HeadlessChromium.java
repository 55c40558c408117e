package org.mosaicbeam.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real browser for the page tests: Debian's chromium (scripts/setup installs it), headless, on a
 * page opened from file:// (no network). Its DOM dump shows what the page's own script recorded;
 * console messages (the page logs none) and uncaught errors come on stderr.
 */
public final class HeadlessChromium {
  public static final File CHROMIUM = new File("/usr/bin/chromium");

  private HeadlessChromium() {}

  /** Whether the browser is installed (a page test is skipped, saying so, when it is not). */
  public static boolean available() {
    return CHROMIUM.canExecute();
  }

  /**
   * The page's DOM once loaded, asserting that its console shows no error; without the browser the
   * test is skipped, saying why.
   */
  public static String dom(Path page) throws Exception {
    assumeTrue(
        available(),
        "skipped: no /usr/bin/chromium (scripts/setup installs the Debian package chromium)");
    Result r = open(page, "--dump-dom");
    assertTrue(r.consoleErrors().isEmpty(), "console errors: " + r.consoleErrors());
    return r.out();
  }

  /**
   * A screenshot of the page, {@code width} x {@code height}, into {@code png}, asserting that its
   * console shows no error; returns how many colours it has (see {@link #colours}).
   */
  public static int screenshot(Path page, Path png, int width, int height) throws Exception {
    Result r =
        open(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height);
    assertTrue(r.consoleErrors().isEmpty(), "console errors: " + r.consoleErrors());
    return colours(png);
  }

  /** What Chromium printed: stdout and the console's error lines. */
  public record Result(String out, List<String> consoleErrors) {}

  /** Opens the page in headless Chromium from file:// (no network) with {@code args}. */
  public static Result open(Path page, String... args) throws Exception {
    Path profile = Files.createTempDirectory("chromium-profile");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                CHROMIUM.getPath(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=5000"));
    cmd.addAll(List.of(args));
    cmd.add(page.toUri().toString());
    Process p = new ProcessBuilder(cmd).start();
    // both pipes read at once: a full stderr pipe would stop Chromium
    java.util.concurrent.CompletableFuture<String> err =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (java.io.IOException e) {
                return e.toString();
              }
            });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 60 s");
    }
    String stderr = err.get();
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + "\n" + stderr);
    }
    List<String> errors = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      if (line.contains("CONSOLE") || line.contains("Uncaught")) {
        errors.add(line);
      }
    }
    try (java.util.stream.Stream<Path> all = Files.walk(profile)) {
      all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    return new Result(out, errors);
  }

  /** How many colours a screenshot has, sampled every 4th pixel (a blank page has one or two). */
  public static int colours(Path png) throws java.io.IOException {
    java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
    if (image == null) {
      throw new AssertionError(png + " is not an image");
    }
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 4) {
      for (int x = 0; x < image.getWidth(); x += 4) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }

  /**
   * What the page's load handler recorded (HtmlPage): {images loaded, images}, or null when it did
   * not run.
   */
  public static int[] imagesOk(String dom) {
    Matcher m = Pattern.compile("data-images-ok=\"(\\d+)/(\\d+)\"").matcher(dom);
    return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
  }

  /** The data-* attributes of each {@code element} of a DOM dump, in page order. */
  public static List<Map<String, String>> dataOf(String element, String dom) {
    List<Map<String, String>> out = new ArrayList<>();
    Matcher m = Pattern.compile("<" + element + " ([^>]*)>").matcher(dom);
    Pattern attr = Pattern.compile("data-([a-z-]+)=\"([^\"]*)\"");
    while (m.find()) {
      Map<String, String> a = new LinkedHashMap<>();
      Matcher am = attr.matcher(m.group(1));
      while (am.find()) {
        a.put(am.group(1), am.group(2).replace("&amp;", "&").replace("&quot;", "\""));
      }
      out.add(a);
    }
    return out;
  }
}
