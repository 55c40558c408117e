package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mosaicbeam.io.HeadlessChromium;

/**
 * The dataset's report.html, opened in headless Chromium: no console error, its chart loaded, and
 * its counts those of report.json beside it.
 */
class DatasetPageTest {
  @TempDir Path dir;

  @Test
  void thePageShowsReportJsonsCounts() throws Exception {
    Path sample = dir.resolve("sample");
    // plates in a third of the images: some in the validation and test CSVs too
    DatasetRun.generateSample(
        sample,
        "--rows=2000",
        "--plateImageFraction=0.3",
        "--malformedRows=0",
        "--missingImages=0");
    Path out = dir.resolve("out");
    DatasetRun run =
        DatasetRun.on(sample, List.of("--images=" + sample.resolve("images"), "--output=" + out));
    assertEquals(0, run.exitCode(), run.output());
    Path page = out.resolve(DatasetPage.PAGE);
    assertTrue(run.output().contains("dataset: report page: open " + page), run.output());
    JsonNode report = new ObjectMapper().readTree(out.resolve(WriteOutputs.REPORT).toFile());

    String dom = HeadlessChromium.dom(page);
    int[] ok = HeadlessChromium.imagesOk(dom);
    assertNotNull(ok, "the page's load handler ran:\n" + dom);
    long inDataset = report.get("images").get("in_dataset").asLong();
    long samples = Math.min(DatasetPage.SAMPLES, inDataset);
    assertTrue(samples > 0, report.toString());
    assertEquals(
        String.valueOf(samples),
        HeadlessChromium.dataOf("section id=\"samples\"", dom).get(0).get("shown"),
        "a thumbnail of each chosen image");
    assertEquals(
        (2 + samples) + "/" + (2 + samples),
        ok[0] + "/" + ok[1],
        "the bar chart, the histogram and the thumbnails loaded");

    Map<String, String> images = HeadlessChromium.dataOf("section", dom).get(0);
    int fields = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = report.get("images").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      assertEquals(e.getValue().asText(), images.get(e.getKey().replace('_', '-')), e.getKey());
      fields++;
    }
    assertTrue(fields >= 6, report.toString());
    assertEquals(report.get("dead_letter_rows").asText(), images.get("dead-letter-rows"));
    List<Map<String, String>> classes = HeadlessChromium.dataOf("tr class=\"class\"", dom);
    assertEquals(report.get("classes").size(), classes.size());
    long boxes = 0;
    for (int i = 0; i < classes.size(); i++) {
      JsonNode c = report.get("classes").get(i);
      assertEquals(c.get("name").asText(), classes.get(i).get("name"));
      assertEquals(c.get("boxes").asText(), classes.get(i).get("boxes"));
      assertEquals(c.get("images").asText(), classes.get(i).get("images"));
      boxes += c.get("boxes").asLong();
    }
    assertTrue(boxes > 0, "a chart of something: " + report.get("classes"));
    List<Map<String, String>> splits = HeadlessChromium.dataOf("tr class=\"split\"", dom);
    JsonNode perSplit = report.get("images_per_split");
    assertEquals(perSplit.size(), splits.size(), perSplit.toString());
    assertTrue(splits.size() >= 2, "the sample's plates are in more than one split: " + perSplit);
    long inSplits = 0;
    for (Map<String, String> split : splits) {
      assertEquals(
          perSplit.get(split.get("split")).asText(), split.get("images"), split.toString());
      inSplits += Long.parseLong(split.get("images"));
    }
    assertEquals(inDataset, inSplits, "each image of the dataset is in one split");
    assertEquals(
        String.valueOf(boxes),
        HeadlessChromium.dataOf("section id=\"box-sizes\"", dom).get(0).get("boxes"),
        "the histogram counts every box");
    Map<String, String> dead =
        HeadlessChromium.dataOf("section id=\"dead-letter-rows\"", dom).get(0);
    long deadRows = report.get("dead_letter_rows").asLong();
    assertEquals(String.valueOf(deadRows), dead.get("total"));
    assertEquals(String.valueOf(Math.min(100, deadRows)), dead.get("shown"));
    assertEquals(Math.min(100, deadRows), dom.split("<tr class=\"dead-letter\"", -1).length - 1);

    Path shot = Path.of("target/dataset-report.png");
    int colours = HeadlessChromium.screenshot(page, shot, 900, 2400);
    assertTrue(colours > 20, colours + " colours: a blank page");
  }

  /**
   * A page that cannot be made is one warning line and the dataset is written: here the JVM's font
   * configuration is broken (as on a server without one), which AWT reports as an InternalError
   * when the charts draw their first letter.
   */
  @Test
  void aPageThatCannotBeMadeDoesNotFailTheRun() throws Exception {
    Path sample = dir.resolve("sample");
    DatasetRun.generateSample(sample, 2000);
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve(DatasetPage.PAGE), "<p>an earlier run's page</p>\n");
    DatasetRun run =
        DatasetRun.on(
            List.of("env", "JAVA_TOOL_OPTIONS=-Dsun.awt.fontconfig=/nonexistent"),
            sample,
            List.of("--images=" + sample.resolve("images"), "--output=" + out));
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("dataset: report page not written ("), run.output());
    assertFalse(run.output().contains("report page: open"), run.output());
    JsonNode report = new ObjectMapper().readTree(out.resolve(WriteOutputs.REPORT).toFile());
    assertTrue(report.get("images").get("in_dataset").asLong() > 0, report.toString());
    assertTrue(Files.isRegularFile(out.resolve(WriteOutputs.MANIFEST)), "the dataset is written");
    assertFalse(
        Files.exists(out.resolve(DatasetPage.PAGE)),
        "no earlier run's page left beside this report");
  }

  /** A dataset with no dead letters and one with a thousand: both pages render and say so. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1000})
  void deadLettersFromNoneToAThousand(int count) throws Exception {
    JsonNode report =
        new ObjectMapper()
            .readTree(
                "{\"required_class\": {\"name\": \"Vehicle registration plate\", \"mid\": \"/m/01jfm_\"},"
                    + " \"images\": {\"selected\": 0}, \"dead_letter_rows\": "
                    + count
                    + ", \"classes\": [], \"dead_letters\": {\"bad_row\": "
                    + count
                    + "}, \"warnings\": [], \"left_out\": [], \"kept_despite_limits\": []}");
    List<List<String>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < Math.min(count, DatasetPage.DEAD_LETTER_ROWS); i++) {
      rows.add(List.of("boxes.csv", String.valueOf(i + 2), "row " + i + ": <bad> & short"));
    }
    Path page = dir.resolve("page-" + count + ".html");
    Files.writeString(page, DatasetPage.html(report, rows, List.of()));
    String dom = HeadlessChromium.dom(page);
    assertArrayEquals(new int[] {1, 1}, HeadlessChromium.imagesOk(dom), "the class chart");
    assertEquals(Math.min(count, 100), dom.split("<tr class=\"dead-letter\"", -1).length - 1);
    if (count == 0) {
      assertTrue(dom.contains("No dead letters"), dom);
    } else {
      assertTrue(dom.contains("The first 100 of 1000 rows"), dom);
      assertTrue(dom.contains("row 0: &lt;bad&gt; &amp; short"), "escaped");
    }
  }
}
