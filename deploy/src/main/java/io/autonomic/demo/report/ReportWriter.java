package io.autonomic.demo.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a run's report as ONE self-contained {@code index.html}: inline CSS, inline JavaScript that draws SVG
 * charts, and the data embedded as JSON, so the page works offline, from a file, with nothing fetched.
 * The page template is the classpath resource {@code demo/report.html}.
 */
public final class ReportWriter {
  static final String TEMPLATE = "/demo/report.html";
  private final ObjectMapper json = new ObjectMapper();

  /** Writes {@code dir/index.html} (creating {@code dir}) and returns its path. */
  public Path write(Path dir, ReportData data) {
    try {
      Files.createDirectories(dir);
      Path page = dir.resolve("index.html");
      Files.writeString(page, render(data), StandardCharsets.UTF_8);
      return page;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The page's HTML. */
  public String render(ReportData data) {
    String template = template();
    String embedded;
    try {
      // "</" would end the <script> element early; "<\/" is the same string to JSON.parse.
      embedded = json.writeValueAsString(data).replace("</", "<\\/");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report data is not serializable: " + e.getMessage(), e);
    }
    return template.replace("__RUN__", escape(data.run())).replace("__DATA__", embedded);
  }

  private static String template() {
    try (InputStream in = ReportWriter.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException("report template " + TEMPLATE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
