package org.mosaicbeam.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatasetPipeline#build}: the graph alone, a few named steps, coders from one registry. */
class DatasetBuildTest {
  @TempDir Path dir;

  @Test
  void buildsTheNamedStepsAndRunsNothing() throws Exception {
    Path csv = dir.resolve("test.csv");
    Files.writeString(
        csv,
        ShardingTest.TEST_HEADER
            + "\n"
            + "00000000000000c3,xclick,/m/01jfm_,1,0.25,0.5,0.5,0.75,0,0,0,0,0\n",
        StandardCharsets.UTF_8);
    Path descriptions = dir.resolve("classes.csv");
    Files.writeString(descriptions, "/m/01jfm_,Vehicle registration plate\n/m/0k4j,Car\n");
    Files.createDirectory(dir.resolve("images"));
    Path out = dir.resolve("out");
    DatasetOptions options =
        PipelineOptionsFactory.fromArgs(
                "--annotations=" + csv,
                "--classDescriptions=" + descriptions,
                "--classes=Vehicle registration plate,Car",
                "--images=" + dir.resolve("images"),
                "--output=" + out)
            .as(DatasetOptions.class);

    Pipeline p = Pipeline.create(options);
    DatasetPipeline.build(p, DatasetPlan.of(options));

    List<String> steps = new ArrayList<>();
    List<PCollection<?>> outputs = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (!node.isRootNode() && node.getEnclosingNode().isRootNode()) {
              steps.add(node.getFullName());
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getEnclosingNode().isRootNode()) {
              steps.add(node.getFullName());
            }
          }

          @Override
          public void visitValue(PValue value, TransformHierarchy.Node producer) {
            if (value instanceof PCollection<?> pc) {
              outputs.add(pc);
            }
          }
        });
    assertEquals(
        List.of(
            "Shards",
            "Spread",
            "FindImagesWithRequiredClass",
            "SelectImages",
            "SelectionView",
            "ReadSelectedRows",
            "SelectedIds",
            "LocateImages",
            "AllDeadLetters",
            "JoinByImage",
            "WriteOutputs"),
        steps);
    // the compact coders reach the steps through DatasetCoders, not through per-step setCoder calls
    assertTrue(outputs.stream().anyMatch(pc -> pc.getCoder() instanceof BoxRowCoder));
    assertTrue(outputs.stream().anyMatch(pc -> pc.getCoder() instanceof ImageRecordCoder));
    assertEquals(
        List.of(),
        outputs.stream()
            .filter(
                pc ->
                    pc.getCoder().getClass().getSimpleName().equals("SerializableCoder")
                        && pc.getCoder()
                            .toString()
                            .matches(".*(BoxRow|ImageLocation|ImageRecord)\\b.*"))
            .map(PCollection::getName)
            .toList());
    try (var files = Files.list(out)) {
      assertEquals(List.of(), files.toList()); // built, not run: no output yet
    }
  }
}
