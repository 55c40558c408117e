package org.mosaicbeam.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.io.LocalFiles;

/**
 * ImageIDs → one {@link ImageLocation} each: the file {@code <ImageID>.jpg} (or .jpeg/.png) with
 * its size and header facts, or "missing". {@code --images} entries are folders, globs of image
 * files, or tarballs; folders and globs are searched first, in order, and the IDs not found there
 * go to {@link TarballImages}. All file access goes through Beam FileSystems (local or s3://).
 * Files over {@code --maxImageBytes} and truncated ones ({@link ImageCheck}) are not used and
 * become dead letters.
 */
public class LocateImages extends PTransform<PCollection<String>, PCollectionTuple> {
  /** One location per ImageID (found, or why not). */
  static final TupleTag<ImageLocation> LOCATIONS = new TupleTag<>() {};

  /** Image files too large or truncated, tar members not extracted, unreadable tarballs. */
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG");
  static final TupleTag<ImageLocation> FOUND = new TupleTag<>() {};
  static final TupleTag<String> NOT_FOUND = new TupleTag<>() {};

  private final List<String> folders = new ArrayList<>();
  private final List<String> globs = new ArrayList<>();
  private final List<String> tarballs = new ArrayList<>();
  private final String workDir;
  private final long maxImageBytes;

  /**
   * @param workDir where the tarball locator may extract the selected images
   * @param maxImageBytes larger image files (and tar members) are not used
   */
  public LocateImages(List<String> sources, String workDir, long maxImageBytes) {
    this.workDir = workDir;
    this.maxImageBytes = maxImageBytes;
    for (String source : sources) {
      if (TarballImages.isTarball(source)) {
        tarballs.add(source);
      } else if (FilePatterns.isGlob(source)) {
        globs.add(source);
      } else {
        if (!source.contains("://") && !Files.isDirectory(Path.of(source))) {
          throw new UserError("--images: '" + source + "' is not a folder (nor a glob or tarball)");
        }
        folders.add(source);
      }
    }
    if (sources.isEmpty()) {
      throw new UserError("--images is empty");
    }
  }

  /**
   * The folders image files are read from (absolute): each folder, and each glob's folder part.
   * Recorded in report.json so that {@code upload} reads no file outside them (tarball images are
   * extracted into the output folder, which upload allows anyway).
   */
  List<String> folders() {
    List<String> out = new ArrayList<>();
    for (String folder : folders) {
      out.add(absoluteFolder(folder));
    }
    for (String glob : globs) {
      String fixed = glob.substring(0, FilePatterns.firstGlobChar(glob));
      out.add(absoluteFolder(fixed.substring(0, fixed.lastIndexOf('/') + 1)));
    }
    return out;
  }

  private static String absoluteFolder(String folder) {
    if (folder.isEmpty()) {
      folder = ".";
    }
    if (!LocalFiles.isLocal(folder)) {
      return folder.endsWith("/") ? folder : folder + "/";
    }
    return LocalFiles.localFile(folder).toPath().toAbsolutePath().normalize() + "/";
  }

  @Override
  public PCollectionTuple expand(PCollection<String> imageIds) {
    PCollectionTuple files =
        imageIds.apply(
            "FindInFoldersAndGlobs",
            ParDo.of(new FindFileFn(folders, globs, maxImageBytes))
                .withOutputTags(FOUND, TupleTagList.of(NOT_FOUND).and(DEAD_LETTERS)));
    PCollection<ImageLocation> found = files.get(FOUND);
    PCollection<String> notFound = files.get(NOT_FOUND);
    PCollection<DeadLetter> badFiles = files.get(DEAD_LETTERS);
    if (tarballs.isEmpty()) {
      PCollection<ImageLocation> missing =
          notFound.apply(
              "Missing",
              MapElements.into(TypeDescriptor.of(ImageLocation.class)).via(ImageLocation::missing));
      return PCollectionTuple.of(
              LOCATIONS,
              PCollectionList.of(found).and(missing).apply("All", Flatten.pCollections()))
          .and(DEAD_LETTERS, badFiles);
    }
    PCollectionTuple inTarballs =
        notFound.apply("FindInTarballs", TarballImages.locate(tarballs, workDir, maxImageBytes));
    PCollection<ImageLocation> extracted = inTarballs.get(TarballImages.LOCATIONS);
    return PCollectionTuple.of(
            LOCATIONS,
            PCollectionList.of(found).and(extracted).apply("All", Flatten.pCollections()))
        .and(
            DEAD_LETTERS,
            PCollectionList.of(badFiles)
                .and(inTarballs.get(TarballImages.DEAD_LETTERS))
                .apply("AllDeadLetters", Flatten.pCollections()));
  }

  static class FindFileFn extends DoFn<String, ImageLocation> {
    private final List<String> folders;
    private final List<String> globs;
    private final long maxImageBytes;
    private final Counter located = DatasetMetrics.counter(DatasetMetrics.IMAGES_LOCATED);
    private transient Map<String, MatchResult.Metadata> globbed;

    FindFileFn(List<String> folders, List<String> globs, long maxImageBytes) {
      this.folders = List.copyOf(folders);
      this.globs = List.copyOf(globs);
      this.maxImageBytes = maxImageBytes;
    }

    @Setup
    public void setup() {
      globbed = new HashMap<>();
      for (String glob : globs) {
        for (MatchResult.Metadata m : FilePatterns.matchOne(glob)) {
          String name = m.resourceId().getFilename();
          int dot = name == null ? -1 : name.lastIndexOf('.');
          if (dot > 0 && EXTENSIONS.contains(name.substring(dot))) {
            globbed.putIfAbsent(name.substring(0, dot), m);
          }
        }
      }
    }

    @ProcessElement
    public void process(@Element String imageId, MultiOutputReceiver out) throws IOException {
      MatchResult.Metadata file = find(imageId);
      if (file == null) {
        out.get(NOT_FOUND).output(imageId);
      } else {
        located.inc();
        ImageCheck.Result checked = ImageCheck.inspect(imageId, file, maxImageBytes);
        out.get(FOUND).output(checked.location());
        if (checked.deadLetter() != null) {
          out.get(DEAD_LETTERS).output(checked.deadLetter());
        }
      }
    }

    private MatchResult.Metadata find(String imageId) throws IOException {
      for (String folder : folders) {
        ResourceId dir = FileSystems.matchNewResource(folder, true);
        for (String ext : EXTENSIONS) {
          ResourceId candidate = dir.resolve(imageId + ext, StandardResolveOptions.RESOLVE_FILE);
          List<MatchResult.Metadata> m = FilePatterns.matchOne(candidate.toString());
          if (!m.isEmpty()) {
            return m.get(0);
          }
        }
      }
      return globbed.get(imageId);
    }
  }
}
