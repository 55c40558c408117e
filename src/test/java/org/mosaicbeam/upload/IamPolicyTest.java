package org.mosaicbeam.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shipped IAM policy stays least-privilege: named actions on named prefixes only. */
class IamPolicyTest {
  private static final Path POLICY = Path.of("iam", "mosaicbeam-dataset-upload-policy.json");

  @Test
  void grantsOnlyTheS3ActionsDatasetAndUploadUseOnTheirPrefixes() throws Exception {
    JsonNode policy = new ObjectMapper().readTree(POLICY.toFile());
    assertEquals("2012-10-17", policy.get("Version").asText());
    TreeSet<String> actions = new TreeSet<>();
    for (JsonNode statement : policy.get("Statement")) {
      assertEquals("Allow", statement.get("Effect").asText());
      List<String> stmtActions = texts(statement.get("Action"));
      actions.addAll(stmtActions);
      for (String resource : texts(statement.get("Resource"))) {
        assertTrue(
            resource.startsWith("arn:aws:s3:::") && !resource.startsWith("arn:aws:s3:::*"),
            resource);
        if (stmtActions.contains("s3:ListBucket")) {
          assertFalse(resource.contains("/"), "ListBucket applies to the bucket: " + resource);
          assertTrue(
              statement.at("/Condition/StringLike/s3:prefix").isArray(),
              "listing is limited to a prefix: " + statement);
        } else {
          assertTrue(
              resource.matches("arn:aws:s3:::[^/*]+/[^*]+/\\*"),
              "objects under a prefix only: " + resource);
        }
      }
      if (stmtActions.contains("s3:PutObject") || stmtActions.contains("s3:DeleteObject")) {
        assertEquals(
            List.of("arn:aws:s3:::OUTPUT-BUCKET/datasets/plates/*"),
            texts(statement.get("Resource")),
            "writes go to the output prefix only");
      }
    }
    // ListBucket: globs and skip checks; GetObject: inputs, HEAD, Beam's copy-on-rename;
    // PutObject (incl. multipart parts); DeleteObject: Beam's rename = copy + delete; abort: failed
    // multipart.
    assertEquals(
        new TreeSet<>(
            List.of(
                "s3:AbortMultipartUpload",
                "s3:DeleteObject",
                "s3:GetObject",
                "s3:ListBucket",
                "s3:PutObject")),
        actions);
  }

  private static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else {
      out.add(node.asText());
    }
    return out;
  }
}
