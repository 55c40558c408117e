package org.mosaicbeam.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mosaicbeam.base.UserError;

/** How {@code upload} maps a manifest to keys and local files (no server needed). */
class UploadPlanTest {
  @TempDir Path dir;

  private UploadOptions options(String prefix, String... extra) {
    UploadOptions o = PipelineOptionsFactory.fromArgs(extra).as(UploadOptions.class);
    o.setManifest(dir.resolve("manifest.jsonl").toString());
    o.setBucket("b");
    o.setPrefix(prefix);
    return o;
  }

  @Test
  void keysFollowThePrefixAndOnlyChangedRefsAreRewritten() throws Exception {
    Files.createDirectories(dir.resolve("imgs"));
    Files.writeString(dir.resolve("imgs/a.jpg"), "a");
    Files.writeString(dir.resolve("imgs/b.jpg"), "b");
    Files.writeString(
        dir.resolve("images.txt"),
        dir.resolve("imgs/a.jpg") + "\n" + dir.resolve("imgs/b.jpg") + "\n");
    String kept = "{\"source-ref\":\"s3://b/oid/a.jpg\",\"x\":{\"v\":1.50}}";
    Files.writeString(
        dir.resolve("manifest.jsonl"),
        kept + "\n{\"source-ref\":\"s3://elsewhere/img/b.jpg\",\"x\":{\"v\":2}}\n");
    UploadPlan plan = UploadPlan.build(options("oid"));
    assertEquals("oid/manifest.jsonl", plan.manifestKey);
    assertEquals(2, plan.images.size());
    assertEquals(
        new UploadPlan.Image("oid/a.jpg", "s3://b/oid/a.jpg", dir.resolve("imgs/a.jpg").toString()),
        plan.images.get(0));
    assertEquals("oid/b.jpg", plan.images.get(1).key());
    assertEquals(1, plan.sourceRefsRewritten);
    String[] lines = new String(plan.manifest, StandardCharsets.UTF_8).split("\n");
    assertEquals(kept, lines[0]); // untouched byte for byte
    assertEquals("{\"source-ref\":\"s3://b/oid/b.jpg\",\"x\":{\"v\":2}}", lines[1]);
  }

  @Test
  void twoImagesWithOneFileNameAreRefused() throws Exception {
    Files.writeString(
        dir.resolve("manifest.jsonl"),
        "{\"source-ref\":\"s3://x/1/a.jpg\"}\n{\"source-ref\":\"s3://x/2/a.jpg\"}\n");
    UserError e = assertThrows(UserError.class, () -> UploadPlan.build(options("")));
    assertTrue(e.getMessage().contains("would both be uploaded as a.jpg"), e.getMessage());
  }

  @Test
  void aLineWithoutSourceRefNamesTheFileAndLine() throws Exception {
    Files.writeString(
        dir.resolve("manifest.jsonl"), "{\"source-ref\":\"s3://x/a.jpg\"}\n{\"images\":[]}\n");
    UserError e = assertThrows(UserError.class, () -> UploadPlan.build(options("")));
    assertTrue(
        e.getMessage()
            .endsWith("manifest.jsonl line 2: no \"source-ref\" (is it a Ground Truth manifest?)"),
        e.getMessage());
  }

  @Test
  void foldersCanStandInForTheImageList() throws Exception {
    Files.createDirectories(dir.resolve("pics"));
    Files.writeString(dir.resolve("pics/a.jpg"), "a");
    Files.writeString(dir.resolve("manifest.jsonl"), "{\"source-ref\":\"s3://x/a.jpg\"}\n");
    UploadPlan plan = UploadPlan.build(options("", "--imageList=" + dir.resolve("pics")));
    assertEquals(dir.resolve("pics/a.jpg").toString(), plan.images.get(0).source());
    assertEquals("", UploadPlan.normalizePrefix("/"));
    assertEquals("p/q/", UploadPlan.normalizePrefix("p/q"));
  }

  /**
   * images.txt is data: a line naming a file outside the dataset's folders (the list's own folder
   * and the --images folders its report.json recorded) stops the plan with one message naming the
   * line, whether it gets there by "..", an absolute path or a symbolic link.
   */
  @Test
  void imageListLinesOutsideTheDatasetsFoldersAreRefused() throws Exception {
    Path elsewhere =
        Files.createDirectories(dir.getParent().resolve(dir.getFileName() + "-elsewhere"));
    Path secret = Files.writeString(elsewhere.resolve("passwd"), "root:x:0:0");
    Path recorded = Files.createDirectories(elsewhere.resolve("oid-images"));
    Files.writeString(recorded.resolve("c.jpg"), "c");
    Files.createDirectories(dir.resolve("images"));
    Files.writeString(dir.resolve("images/a.jpg"), "a");
    Files.writeString(
        dir.resolve("manifest.jsonl"),
        "{\"source-ref\":\"s3://x/a.jpg\"}\n{\"source-ref\":\"s3://x/c.jpg\"}\n");
    Files.writeString(dir.resolve("report.json"), "{\"image_folders\":[\"" + recorded + "/\"]}");
    // allowed: relative to the list's folder, and inside a recorded --images folder
    Files.writeString(
        dir.resolve("images.txt"), "images/a.jpg\n" + recorded.resolve("c.jpg") + "\n");
    UploadPlan plan = UploadPlan.build(options(""));
    assertEquals(dir.resolve("images/a.jpg").toString(), plan.images.get(0).source());
    assertEquals(recorded.resolve("c.jpg").toString(), plan.images.get(1).source());

    String dotDots = "../".repeat(dir.getNameCount()) + secret.toString().substring(1);
    Files.createSymbolicLink(dir.resolve("images/link.jpg"), secret);
    for (String line :
        List.of(
            dotDots,
            secret.toString(),
            "/etc/shadow",
            "images/link.jpg",
            "images/../../" + dir.getFileName() + "-elsewhere/passwd")) {
      Files.writeString(dir.resolve("images.txt"), "images/a.jpg\n" + line + "\n");
      UserError e = assertThrows(UserError.class, () -> UploadPlan.build(options("")), line);
      assertTrue(
          e.getMessage().startsWith(dir.resolve("images.txt") + " line 2: '" + line + "' "),
          e.getMessage());
      assertTrue(
          e.getMessage().contains(line.equals("images/link.jpg") ? "symbolic link" : "is outside"),
          e.getMessage());
    }
    // a link inside a folder given as --imageList is refused too
    UserError e =
        assertThrows(
            UserError.class,
            () -> UploadPlan.build(options("", "--imageList=" + dir.resolve("images"))));
    assertTrue(
        e.getMessage().contains("link.jpg' is a symbolic link to " + secret), e.getMessage());
  }
}
