package io.autonomic.demo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the report in headless Chromium (Debian's chromium package): the page's script runs, the charts hold
 * the data, and a screenshot is not blank. Fails, saying how to install it, when Chromium is missing: CI installs
 * it, so a skip would hide a broken report.
 */
class ReportChromiumITCase {
  static final String CHROMIUM = System.getProperty("autonomic.chromium", "/usr/bin/chromium");
  private static final Pattern SERIES = Pattern.compile("<path class=\"series\" data-series=\"([^\"]+)\" "
      + "data-points=\"(\\d+)\"");

  @TempDir
  static Path dir;
  static Path page;
  static ReportData data;

  @BeforeAll
  static void writeReport() {
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      fail("headless Chromium is needed at " + CHROMIUM + " to test the demo report; install it with "
          + "`apt-get update && apt-get install -y chromium` (as root), or point -Dautonomic.chromium at it");
    }
    data = ReportFixtures.leakRun();
    page = new ReportWriter().write(dir.resolve("report"), data);
  }

  @Test
  void theScriptDrawsEveryChartWithItsData() throws Exception {
    // what the script drew, without the script's own text (its string literals hold the same markup)
    String dom = chromium("--dump-dom", page.toUri().toString()).replaceAll("(?s)<script.*?</script>", "");

    assertThat(dom).contains("data-rendered=\"true\"");
    Matcher m = SERIES.matcher(dom);
    List<Integer> counts = new ArrayList<>();
    while (m.find()) {
      counts.add(Integer.parseInt(m.group(2)));
    }
    int expectedSeries = data.metrics().stream().mapToInt(c -> c.series().size()).sum();
    assertThat(counts).hasSize(expectedSeries).allMatch(n -> n > 100);
    int scored = data.scores().stream().mapToInt(s -> s.points().size()).sum();
    assertThat(count(dom, "<circle class=\"score\"")).isEqualTo(scored).isGreaterThan(3);
    assertThat(dom).contains("class=\"threshold\" data-threshold=\"0.75\"");
    assertThat(count(dom, "<rect class=\"incident\"")).isEqualTo(1);
    assertThat(dom).contains("<circle class=\"action\" data-kind=\"RESTART\" data-status=\"APPLIED\"");
    assertThat(count(dom, "<rect class=\"fault\" data-fault=\"memory-leak\"")).isGreaterThanOrEqualTo(6);
    assertThat(dom).contains("<td class=\"pass\">PASS</td>");
  }

  @Test
  void aScreenshotOfThePageIsNotBlank() throws Exception {
    Path png = dir.resolve("page.png");
    chromium("--screenshot=" + png, "--window-size=1200,1600", page.toUri().toString());

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("screenshot at " + png).isNotNull();
    Set<Integer> colours = new HashSet<>();
    int nonWhite = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        if (rgb != 0xFFFFFF) {
          nonWhite++;
        }
      }
    }
    assertThat(colours.size()).as("distinct colours").isGreaterThan(20);
    assertThat(nonWhite).as("non-white pixels").isGreaterThan(image.getWidth() * image.getHeight() / 4 / 20);
  }

  private static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** Runs headless Chromium with no network, sync or first-run work, and returns its standard output. */
  private static String chromium(String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
    Path err = dir.resolve("chromium-" + System.nanoTime() + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        fail("chromium did not finish in 90 s: " + cmd);
      }
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      fail("chromium exited with " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
    }
    return stdout;
  }
}
