package org.mosaicbeam.dataset.tarball;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls the selected images out of image tarballs (Open Images' {@code train_*.tar.gz}, {@code
 * validation.tar.gz}, {@code test.tar.gz}).
 *
 * <p>Input: the selected ImageIDs. Configuration: tarball paths or globs (local or s3://) and the
 * folder to write {@code <ImageID>.jpg} into. Each tarball is one element, read once, streaming;
 * tarballs are spread over workers (a reshuffle) so they are read in parallel.
 *
 * <p>Outputs ({@link PCollectionTuple}): {@link #IMAGES} {@code KV<ImageID, path of the .jpg>} for
 * every selected image found in a tarball (written now, or already present with the same size), so
 * the caller can read headers from the files; {@link #REJECTED} one {@link RejectedMember} per
 * member that was not written because it is unsafe (absolute path, {@code ..}, link, device), a
 * second member of a selected image's name or larger than the size limit, and per unreadable
 * tarball.
 */
public class ExtractSelectedImages extends PTransform<PCollection<String>, PCollectionTuple> {
  public static final TupleTag<KV<String, String>> IMAGES = new TupleTag<>() {};
  public static final TupleTag<RejectedMember> REJECTED = new TupleTag<>() {};

  private final List<String> tarballs;
  private final String outputDir;
  private final long maxImageBytes;

  private ExtractSelectedImages(List<String> tarballs, String outputDir, long maxImageBytes) {
    super("ExtractSelectedImages");
    this.tarballs = tarballs;
    this.outputDir = outputDir;
    this.maxImageBytes = maxImageBytes;
  }

  /**
   * Tarball paths or globs ({@code .tar}, {@code .tar.gz}, {@code .tgz}); a selected member larger
   * than {@code maxImageBytes} is not written (a 2 MB .tar.gz can hold a member of 2 GiB of zeros).
   */
  public static ExtractSelectedImages from(
      List<String> tarballs, String outputDir, long maxImageBytes) {
    for (String t : tarballs) {
      if (!TarballExtractor.isTarball(t)) {
        throw new IllegalArgumentException("not a tarball (.tar, .tar.gz, .tgz): " + t);
      }
    }
    if (maxImageBytes < 1) {
      throw new IllegalArgumentException("maxImageBytes must be >= 1, not " + maxImageBytes);
    }
    return new ExtractSelectedImages(List.copyOf(tarballs), outputDir, maxImageBytes);
  }

  /** True for an {@code --images} entry that names tarballs rather than a folder. */
  public static boolean isTarball(String path) {
    return TarballExtractor.isTarball(path);
  }

  @Override
  public PCollectionTuple expand(PCollection<String> selectedIds) {
    PCollectionView<List<String>> selected = selectedIds.apply("SelectedIdsView", View.asList());
    return selectedIds
        .getPipeline()
        .apply("TarballPatterns", Create.of(tarballs))
        .apply(
            "MatchTarballs",
            FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("OneTarballPerWorker", Reshuffle.viaRandomKey())
        .apply(
            "ExtractFromTarball",
            ParDo.of(new ExtractFn(selected, outputDir, maxImageBytes))
                .withSideInputs(selected)
                .withOutputTags(IMAGES, TupleTagList.of(REJECTED)));
  }

  /** Reads one tarball per element and writes its selected members. */
  static class ExtractFn extends DoFn<Metadata, KV<String, String>> {
    private static final Logger LOG = LoggerFactory.getLogger(ExtractSelectedImages.class);
    private final Counter written = Metrics.counter(ExtractSelectedImages.class, "images-written");
    private final Counter present =
        Metrics.counter(ExtractSelectedImages.class, "images-already-present");
    private final Counter rejected =
        Metrics.counter(ExtractSelectedImages.class, "members-rejected");
    private final Counter members = Metrics.counter(ExtractSelectedImages.class, "members-read");
    private final Distribution tarballMillis =
        Metrics.distribution(ExtractSelectedImages.class, "tarball-millis");
    private final PCollectionView<List<String>> selected;
    private final String outputDir;
    private final long maxImageBytes;
    private transient List<String> cachedList;
    private transient Set<String> cachedSet;

    ExtractFn(PCollectionView<List<String>> selected, String outputDir, long maxImageBytes) {
      this.selected = selected;
      this.outputDir = outputDir;
      this.maxImageBytes = maxImageBytes;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      TarballExtractor extractor =
          new TarballExtractor(selectedSet(c.sideInput(selected)), outputDir, maxImageBytes);
      long start = System.nanoTime();
      TarballExtractor.Stats stats =
          extractor.extract(
              c.element(),
              new TarballExtractor.Listener() {
                @Override
                public void image(String imageId, String path, boolean alreadyPresent) {
                  c.output(KV.of(imageId, path));
                }

                @Override
                public void rejected(RejectedMember member) {
                  c.output(REJECTED, member);
                }
              });
      long millis = (System.nanoTime() - start) / 1_000_000;
      tarballMillis.update(millis);
      LOG.info(
          "{}: {} members read in {} s; {} images written, {} already present, {} rejected",
          c.element().resourceId(),
          stats.members,
          millis / 1000.0,
          stats.written,
          stats.present,
          stats.rejected);
      written.inc(stats.written);
      present.inc(stats.present);
      rejected.inc(stats.rejected);
      members.inc(stats.members);
    }

    /** The side input as a hash set, built once per worker rather than per tarball. */
    private Set<String> selectedSet(List<String> ids) {
      if (ids != cachedList) {
        cachedSet = new HashSet<>(ids);
        cachedList = ids;
      }
      return cachedSet;
    }
  }
}
