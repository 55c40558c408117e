package org.mosaicbeam.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer;
import org.mosaicbeam.model.rekognition.RekognitionProtocolServer.Step;

/**
 * The least-privilege policies under {@code iam/} grant every Rekognition action a command really
 * calls (as recorded by the protocol server) and nothing beyond it.
 */
class IamPoliciesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eachTrainPolicyGrantsExactlyTheRekognitionActionsItsCommandCalls() throws Exception {
    try (RekognitionProtocolServer server = RekognitionProtocolServer.start();
        AutoCloseable creds = RekognitionProtocolServer.dummyCredentialsInSystemProperties()) {
      server.scriptTraining(Step.of("TRAINING_IN_PROGRESS"), Step.of("TRAINING_COMPLETED"));
      check(server, "train-create-project.json", "create-project", "--projectName=p");
      String project = server.projectArn("p");
      check(
          server,
          "train-create-datasets.json",
          "create-datasets",
          "--projectArn=" + project,
          "--manifest=s3://b/train.manifest",
          "--autoSplit");
      check(
          server,
          "train-start-training.json",
          "start-training",
          "--projectArn=" + project,
          "--versionName=v1",
          "--outputS3=s3://b/out/");
      check(server, "train-status.json", "status", "--projectArn=" + project, "--versionName=v1");
      check(
          server,
          "train-start-stop-model.json",
          "start-model",
          "--projectArn=" + project,
          "--versionName=v1",
          "--autoStopAfter=10ms");
    }
  }

  @Test
  void everyPolicyIsValidJsonWithoutWildcardActions() throws Exception {
    for (String name :
        List.of(
            "train-create-project.json",
            "train-create-datasets.json",
            "train-start-training.json",
            "train-status.json",
            "train-evaluate.json",
            "train-start-stop-model.json",
            "anonymize-rekognition.json")) {
      JsonNode policy = JSON.readTree(Path.of("iam", name).toFile());
      assertEquals("2012-10-17", policy.path("Version").asText(), name);
      for (String action : actions(policy, "")) {
        assertFalse(action.contains("*"), name + " grants " + action);
      }
    }
    assertEquals(
        Set.of("rekognition:DetectFaces", "rekognition:DetectCustomLabels"),
        actions(
            JSON.readTree(Path.of("iam", "anonymize-rekognition.json").toFile()), "rekognition:"));
  }

  private static void check(RekognitionProtocolServer server, String policy, String... args)
      throws Exception {
    server.clearRecords();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(server.awsArgs());
    all.add("--pollInterval=5ms");
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(0, TrainCommand.run(all.toArray(new String[0]), out), args[0]);
    Set<String> called = new TreeSet<>();
    server.operations().forEach(op -> called.add("rekognition:" + op));
    assertFalse(called.isEmpty());
    Set<String> granted = actions(JSON.readTree(Path.of("iam", policy).toFile()), "rekognition:");
    assertEquals(called, granted, policy + " vs what `train " + args[0] + "` calls");
    assertTrue(granted.stream().noneMatch(a -> a.contains("*")));
  }

  private static Set<String> actions(JsonNode policy, String prefix) {
    Set<String> out = new TreeSet<>();
    for (JsonNode statement : policy.path("Statement")) {
      JsonNode action = statement.path("Action");
      List<JsonNode> list = new ArrayList<>();
      if (action.isArray()) {
        action.forEach(list::add);
      } else {
        list.add(action);
      }
      list.stream().map(JsonNode::asText).filter(a -> a.startsWith(prefix)).forEach(out::add);
    }
    return out;
  }
}
