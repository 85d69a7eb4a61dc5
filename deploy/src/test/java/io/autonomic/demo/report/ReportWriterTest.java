package io.autonomic.demo.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  private static final Pattern DATA = Pattern.compile(
      "<script id=\"report-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL);

  @Test
  void thePageEmbedsTheRunsDataAsJson() throws Exception {
    ReportData data = ReportFixtures.leakRun();
    String html = new ReportWriter().render(data);

    Matcher m = DATA.matcher(html);
    assertThat(m.find()).isTrue();
    JsonNode json = new ObjectMapper().readTree(m.group(1));
    assertThat(json.get("run").asText()).isEqualTo("20261126-100000");
    assertThat(json.get("metrics")).hasSize(RunRecorder.CHARTED.size());
    JsonNode p99 = json.get("metrics").get(0);
    assertThat(p99.get("metric").asText()).isEqualTo("http.server.request.duration.p99");
    assertThat(p99.get("series")).hasSize(8);
    assertThat(p99.get("series").get(0).get("points").size()).isGreaterThan(100);
    assertThat(json.get("scores").get(0).get("points").size()).isGreaterThan(3);
    assertThat(json.get("threshold").asDouble()).isEqualTo(0.75);
    assertThat(json.get("incidents").get(0).get("resolved").isNumber()).isTrue();
    assertThat(json.get("actions").get(0).get("status").asText()).isEqualTo("APPLIED");
    assertThat(json.get("faults").get(0).get("passed").asBoolean()).isTrue();
    assertThat(json.get("faults").get(0).get("mttd").asLong()).isEqualTo(3000);
  }

  @Test
  void thePageIsSelfContainedWithNoExternalReferences() {
    String html = new ReportWriter().render(ReportFixtures.leakRun());

    assertThat(html).doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:")
        .doesNotContain("//cdn").doesNotContain(" src=").doesNotContain("<link").doesNotContain("@import")
        .doesNotContain("fetch(").doesNotContain("XMLHttpRequest").doesNotContain("url(");
    assertThat(html).contains("<style>").contains("<script>");
  }

  @Test
  void textFromTheDataCannotCloseTheDataScript() {
    String html = new ReportWriter().render(ReportFixtures.leakRun());

    assertThat(html).contains("memory high on checkout <\\/script> & co");
    Matcher m = DATA.matcher(html);
    assertThat(m.find()).isTrue();
    assertThat(m.group(1)).endsWith("}");
  }

  @Test
  void writesIndexHtmlIntoTheRunDirectory(@TempDir Path dir) throws Exception {
    Path page = new ReportWriter().write(dir.resolve("reports/run-1"), ReportFixtures.leakRun());

    assertThat(page).isEqualTo(dir.resolve("reports/run-1/index.html"));
    assertThat(Files.readString(page)).startsWith("<!DOCTYPE html>");
  }
}
