package org.mosaicbeam.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.io.SetPointer;

/**
 * What {@code upload} will send: one object per image the manifest references (key = prefix + file
 * name, source = the local file found through the image list or folders), then the manifest with
 * every {@code source-ref} pointing at its uploaded key.
 */
final class UploadPlan {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One image: its destination key and where its bytes are (null when not found locally). */
  record Image(String key, String sourceRef, String source) {}

  final List<Image> images = new ArrayList<>();
  final String manifestKey;
  final byte[] manifest;
  final int sourceRefsRewritten;

  private UploadPlan(String manifestKey, byte[] manifest, int rewritten) {
    this.manifestKey = manifestKey;
    this.manifest = manifest;
    this.sourceRefsRewritten = rewritten;
  }

  static String normalizePrefix(String prefix) {
    String p = prefix.startsWith("/") ? prefix.substring(1) : prefix;
    return p.isEmpty() || p.endsWith("/") ? p : p + "/";
  }

  static UploadPlan build(UploadOptions options) throws IOException {
    String prefix = normalizePrefix(options.getPrefix());
    // a dataset written to s3:// keeps its files under runs/<id>/, named by current.json
    SetPointer.Resolved resolved = SetPointer.resolve(options.getManifest());
    ResourceId manifestId = matchOne(resolved.path(), "--manifest");
    Map<String, String> localByName = localImages(options, manifestId, resolved.setFolder());

    Map<String, Image> byKey = new LinkedHashMap<>();
    StringBuilder rewritten = new StringBuilder();
    int changed = 0;
    int lineNo = 0;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                Channels.newInputStream(FileSystems.open(manifestId)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new UserError(
              options.getManifest() + " line " + lineNo + ": not JSON: " + e.getOriginalMessage());
        }
        JsonNode ref = node.get("source-ref");
        if (!(node instanceof ObjectNode) || ref == null || !ref.isTextual()) {
          throw new UserError(
              options.getManifest()
                  + " line "
                  + lineNo
                  + ": no \"source-ref\" (is it a Ground Truth manifest?)");
        }
        String sourceRef = ref.asText();
        String name = sourceRef.substring(sourceRef.lastIndexOf('/') + 1);
        String key = prefix + name;
        Image previous = byKey.get(key);
        if (previous != null && !previous.sourceRef().equals(sourceRef)) {
          throw new UserError(
              options.getManifest()
                  + " line "
                  + lineNo
                  + ": "
                  + sourceRef
                  + " and "
                  + previous.sourceRef()
                  + " would both be uploaded as "
                  + key);
        }
        byKey.put(key, new Image(key, sourceRef, localByName.get(name)));
        String target = "s3://" + options.getBucket() + "/" + key;
        if (target.equals(sourceRef)) {
          rewritten.append(line); // byte for byte
        } else {
          ((ObjectNode) node).put("source-ref", target);
          rewritten.append(JSON.writeValueAsString(node));
          changed++;
        }
        rewritten.append('\n');
      }
    }
    UploadPlan plan =
        new UploadPlan(
            prefix + manifestId.getFilename(),
            rewritten.toString().getBytes(StandardCharsets.UTF_8),
            changed);
    plan.images.addAll(byKey.values());
    return plan;
  }

  /**
   * File name → local path, from image lists (one path per line; with tab-separated fields the last
   * one is the path) and folders (a trailing "/" or a local directory). Default: {@code images.txt}
   * next to the manifest, else the manifest's folder. Every path must be inside the {@link
   * AllowedFolders}: a refused line stops the plan, before anything is sent.
   */
  private static Map<String, String> localImages(
      UploadOptions options, ResourceId manifest, String setFolder) throws IOException {
    List<String> sources = new ArrayList<>();
    AllowedFolders allowed = new AllowedFolders().addDataset(manifest.getCurrentDirectory());
    if (setFolder != null) {
      allowed.add(
          setFolder); // the dataset's output folder (its runs, images extracted from tarballs)
    }
    if (options.getImageList() != null && !options.getImageList().isBlank()) {
      for (String s : options.getImageList().split(",")) {
        String source = s.strip();
        sources.add(source);
        if (isFolder(source)) {
          allowed.add(source); // named on the command line: the user's own choice, not data
        }
      }
    } else {
      ResourceId list =
          manifest.getCurrentDirectory().resolve("images.txt", StandardResolveOptions.RESOLVE_FILE);
      String folder = manifest.getCurrentDirectory().toString();
      sources.add(
          exists(list.toString()) ? list.toString() : folder.endsWith("/") ? folder : folder + "/");
    }
    List<ResourceId> lists = new ArrayList<>();
    for (String source : sources) {
      if (!isFolder(source)) {
        ResourceId list = matchOne(source, "--imageList");
        allowed.addDataset(
            list.getCurrentDirectory()); // a list is its dataset's: its folder and report
        lists.add(list);
      }
    }
    Map<String, String> byName = new HashMap<>();
    for (String source : sources) {
      if (isFolder(source)) {
        ResourceId dir = FileSystems.matchNewResource(source, true);
        String glob = dir.resolve("*", StandardResolveOptions.RESOLVE_FILE).toString();
        for (MatchResult.Metadata m :
            FileSystems.match(List.of(glob), EmptyMatchTreatment.ALLOW).get(0).metadata()) {
          String file = allowed.check(m.resourceId().toString(), dir, "--imageList " + source);
          byName.putIfAbsent(m.resourceId().getFilename(), file);
        }
      }
    }
    for (ResourceId list : lists) {
      readImageList(list, allowed, byName);
    }
    return byName;
  }

  private static boolean isFolder(String source) {
    return source.endsWith("/") || isLocalDirectory(source);
  }

  private static void readImageList(
      ResourceId list, AllowedFolders allowed, Map<String, String> byName) throws IOException {
    ResourceId folder = list.getCurrentDirectory();
    int lineNo = 0;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                Channels.newInputStream(FileSystems.open(list)), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        String path = line.substring(line.lastIndexOf('\t') + 1).strip();
        if (!path.isEmpty() && !path.startsWith("#")) {
          String file = allowed.check(path, folder, list + " line " + lineNo);
          byName.putIfAbsent(path.substring(path.lastIndexOf('/') + 1), file);
        }
      }
    }
  }

  private static boolean isLocalDirectory(String source) {
    return !source.contains("://")
        && java.nio.file.Files.isDirectory(java.nio.file.Path.of(source));
  }

  private static boolean exists(String path) throws IOException {
    return LocalFiles.matchExisting(path).isPresent();
  }

  private static ResourceId matchOne(String path, String flag) {
    try {
      return LocalFiles.matchExisting(path)
          .orElseThrow(() -> new UserError(flag + ": no such file: " + path))
          .resourceId();
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError(flag + ": cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
