package org.mosaicbeam.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
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
import org.mosaicbeam.cli.UserError;

/**
 * ImageIDs → one {@link ImageLocation} each: the file {@code <ImageID>.jpg} (or .jpeg/.png) with
 * its size and header facts, or "missing". {@code --images} entries are folders, globs of image
 * files, or tarballs; folders and globs are searched first, in order, and the IDs not found there go
 * to {@link TarballImages}. All file access goes through Beam FileSystems (local or s3://).
 */
public class LocateImages extends PTransform<PCollection<String>, PCollectionTuple> {
  /** One location per ImageID (found, or why not). */
  static final TupleTag<ImageLocation> LOCATIONS = new TupleTag<>() {};
  /** Tarball members that were not extracted (unsafe) and unreadable tarballs. */
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG");
  static final TupleTag<ImageLocation> FOUND = new TupleTag<>() {};
  static final TupleTag<String> NOT_FOUND = new TupleTag<>() {};

  private final List<String> folders = new ArrayList<>();
  private final List<String> globs = new ArrayList<>();
  private final List<String> tarballs = new ArrayList<>();
  private final String workDir;

  /** @param workDir where the tarball locator may extract the selected images */
  public LocateImages(List<String> sources, String workDir) {
    this.workDir = workDir;
    for (String source : sources) {
      if (TarballImages.isTarball(source)) {
        tarballs.add(source);
      } else if (Inputs.isGlob(source)) {
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

  @Override
  public PCollectionTuple expand(PCollection<String> imageIds) {
    PCollectionTuple files = imageIds.apply("FindInFoldersAndGlobs",
        ParDo.of(new FindFileFn(folders, globs)).withOutputTags(FOUND, TupleTagList.of(NOT_FOUND)));
    PCollection<ImageLocation> found = files.get(FOUND).setCoder(ImageLocationCoder.of());
    PCollection<String> notFound = files.get(NOT_FOUND).setCoder(StringUtf8Coder.of());
    if (tarballs.isEmpty()) {
      PCollection<ImageLocation> missing = notFound.apply("Missing",
          MapElements.into(TypeDescriptor.of(ImageLocation.class)).via(ImageLocation::missing))
          .setCoder(ImageLocationCoder.of());
      return PCollectionTuple.of(LOCATIONS, PCollectionList.of(found).and(missing).apply("All", Flatten.pCollections()))
          .and(DEAD_LETTERS, imageIds.getPipeline().apply("NoDeadLetters",
              Create.empty(SerializableCoder.of(DeadLetter.class))));
    }
    PCollectionTuple inTarballs = notFound.apply("FindInTarballs", TarballImages.locate(tarballs, workDir));
    PCollection<ImageLocation> extracted =
        inTarballs.get(TarballImages.LOCATIONS).setCoder(ImageLocationCoder.of());
    return PCollectionTuple.of(LOCATIONS, PCollectionList.of(found).and(extracted)
            .apply("All", Flatten.pCollections()))
        .and(DEAD_LETTERS, inTarballs.get(TarballImages.DEAD_LETTERS));
  }

  /** Reads an image file's header through FileSystems. */
  static ImageLocation inspect(String imageId, MatchResult.Metadata file) {
    String path = file.resourceId().toString();
    try (InputStream in = new BufferedInputStream(
        java.nio.channels.Channels.newInputStream(FileSystems.open(file.resourceId())), 1 << 13)) {
      return ImageLocation.found(imageId, path, file.sizeBytes(), ImageHeader.read(in));
    } catch (IOException e) {
      return ImageLocation.unreadable(imageId, path, e.getMessage());
    }
  }

  static class FindFileFn extends DoFn<String, ImageLocation> {
    private final List<String> folders;
    private final List<String> globs;
    private final Counter located = Metrics.counter(DatasetPipeline.METRICS, "images.located");
    private transient Map<String, MatchResult.Metadata> globbed;

    FindFileFn(List<String> folders, List<String> globs) {
      this.folders = List.copyOf(folders);
      this.globs = List.copyOf(globs);
    }

    @Setup
    public void setup() {
      globbed = new HashMap<>();
      for (String glob : globs) {
        for (MatchResult.Metadata m : Inputs.matchOne(glob)) {
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
        out.get(FOUND).output(inspect(imageId, file));
      }
    }

    private MatchResult.Metadata find(String imageId) throws IOException {
      for (String folder : folders) {
        ResourceId dir = FileSystems.matchNewResource(folder, true);
        for (String ext : EXTENSIONS) {
          ResourceId candidate = dir.resolve(imageId + ext, StandardResolveOptions.RESOLVE_FILE);
          List<MatchResult.Metadata> m = Inputs.matchOne(candidate.toString());
          if (!m.isEmpty()) {
            return m.get(0);
          }
        }
      }
      return globbed.get(imageId);
    }
  }
}
