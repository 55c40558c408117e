package org.mosaicbeam.dataset;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.dataset.tarball.ExtractSelectedImages;
import org.mosaicbeam.dataset.tarball.RejectedMember;

/**
 * The tarball side of {@link LocateImages}: ImageIDs not found in folders or globs → their {@link
 * ImageLocation} once extracted from {@code .tar}, {@code .tar.gz} or {@code .tgz} archives into
 * {@code <workDir>/images/} (one streaming pass per tarball, see {@link ExtractSelectedImages}), or
 * {@link ImageLocation#missing}. Members that are unsafe (links, devices, absolute paths, {@code
 * ..}), duplicates or larger than {@code --maxImageBytes} are never written, and extracted images
 * that are truncated are not used; each becomes a {@link DeadLetter} ({@link #DEAD_LETTERS}).
 */
public final class TarballImages extends PTransform<PCollection<String>, PCollectionTuple> {
  static final TupleTag<ImageLocation> LOCATIONS = new TupleTag<>() {};
  static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final List<String> tarballs;
  private final String imagesDir;
  private final long maxImageBytes;

  private TarballImages(List<String> tarballs, String workDir, long maxImageBytes) {
    for (String pattern : tarballs) {
      if (FilePatterns.matchOne(pattern).isEmpty()) {
        throw new UserError("--images: no tarball matches '" + pattern + "'");
      }
    }
    this.tarballs = List.copyOf(tarballs);
    this.maxImageBytes = maxImageBytes;
    this.imagesDir =
        FileSystems.matchNewResource(workDir, true)
            .resolve("images", StandardResolveOptions.RESOLVE_DIRECTORY)
            .toString();
  }

  public static boolean isTarball(String source) {
    return ExtractSelectedImages.isTarball(source);
  }

  /**
   * @param tarballs archive paths or globs (local or s3://)
   * @param workDir the selected images are written to {@code <workDir>/images/}
   * @param maxImageBytes a larger member is not written (nor a larger file already there used)
   */
  public static TarballImages locate(List<String> tarballs, String workDir, long maxImageBytes) {
    return new TarballImages(tarballs, workDir, maxImageBytes);
  }

  @Override
  public PCollectionTuple expand(PCollection<String> imageIds) {
    PCollectionTuple extracted =
        imageIds.apply(
            "ExtractFromTarballs", ExtractSelectedImages.from(tarballs, imagesDir, maxImageBytes));
    PCollectionTuple inspected =
        extracted
            .get(ExtractSelectedImages.IMAGES)
            .apply(
                "ReadHeaders",
                ParDo.of(new InspectFn(maxImageBytes))
                    .withOutputTags(LOCATIONS, TupleTagList.of(DEAD_LETTERS)));
    PCollection<ImageLocation> found = inspected.get(LOCATIONS);
    PCollectionView<List<ImageLocation>> foundView = found.apply("FoundView", View.asList());
    // One location per selected ID (an image in two tarballs counts once), "missing" when in none.
    PCollection<ImageLocation> all =
        imageIds.apply(
            "FoundOrMissing", ParDo.of(new ResolveFn(foundView)).withSideInputs(foundView));
    PCollection<DeadLetter> rejected =
        extracted
            .get(ExtractSelectedImages.REJECTED)
            .apply(
                "AsDeadLetters",
                MapElements.into(TypeDescriptor.of(DeadLetter.class))
                    .via(TarballImages::deadLetter));
    PCollection<DeadLetter> badImages = inspected.get(DEAD_LETTERS);
    return PCollectionTuple.of(LOCATIONS, all)
        .and(
            DEAD_LETTERS,
            PCollectionList.of(rejected)
                .and(badImages)
                .apply("TarballDeadLetters", Flatten.pCollections()));
  }

  /** A member not extracted → a dead letter for its tarball (offset -1: no line number). */
  static DeadLetter deadLetter(RejectedMember rejected) {
    DeadLetter.Kind kind =
        switch (rejected.why()) {
          case UNSAFE -> DeadLetter.Kind.UNSAFE_MEMBER;
          case DUPLICATE -> DeadLetter.Kind.DUPLICATE_MEMBER;
          case TOO_LARGE -> DeadLetter.Kind.TOO_LARGE;
          case UNREADABLE_TARBALL -> DeadLetter.Kind.UNREADABLE_TARBALL;
        };
    String reason =
        rejected.why() == RejectedMember.Why.UNREADABLE_TARBALL
            ? rejected.reason()
            : "tarball member not extracted: " + rejected.reason();
    return new DeadLetter(rejected.tarball(), -1, kind, reason, rejected.member());
  }

  /**
   * An extracted image → its header facts (size, format, width, height, depth), or a dead letter.
   */
  static class InspectFn extends DoFn<KV<String, String>, ImageLocation> {
    private final long maxImageBytes;

    InspectFn(long maxImageBytes) {
      this.maxImageBytes = maxImageBytes;
    }

    @ProcessElement
    public void process(@Element KV<String, String> image, MultiOutputReceiver out)
        throws IOException {
      ImageCheck.Result checked =
          ImageCheck.inspect(
              image.getKey(), FileSystems.matchSingleFileSpec(image.getValue()), maxImageBytes);
      out.get(LOCATIONS).output(checked.location());
      if (checked.deadLetter() != null) {
        out.get(DEAD_LETTERS).output(checked.deadLetter());
      }
    }
  }

  /** Each selected ID → its extracted image (the first by path), or missing. */
  static class ResolveFn extends DoFn<String, ImageLocation> {
    private final Counter fromTarballs =
        DatasetMetrics.counter(DatasetMetrics.IMAGES_FROM_TARBALLS);
    private final Counter missing =
        DatasetMetrics.counter(DatasetMetrics.IMAGES_MISSING_IN_TARBALLS);
    private final PCollectionView<List<ImageLocation>> found;
    private transient List<ImageLocation> cachedList;
    private transient Map<String, ImageLocation> byId;

    ResolveFn(PCollectionView<List<ImageLocation>> found) {
      this.found = found;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<ImageLocation> locations = c.sideInput(found);
      if (locations != cachedList) {
        byId = new HashMap<>();
        for (ImageLocation l : locations) {
          byId.merge(l.imageId(), l, (a, b) -> a.path().compareTo(b.path()) <= 0 ? a : b);
        }
        cachedList = locations;
      }
      ImageLocation location = byId.get(c.element());
      if (location == null) {
        missing.inc();
        location = ImageLocation.missing(c.element());
      } else {
        fromTarballs.inc();
      }
      c.output(location);
    }
  }
}
