package org.mosaicbeam.dataset;

import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.mosaicbeam.cli.UserError;

/**
 * The tarball side of {@link LocateImages}: ImageIDs not found in folders or globs → their
 * {@link ImageLocation} inside {@code .tar}, {@code .tar.gz} or {@code .tgz} archives (the image
 * extracted under a work folder, its header read with {@link ImageHeader}), or
 * {@link ImageLocation#missing}. Archive support arrives with issue 3; until then such inputs are a
 * clear start-up error.
 */
public final class TarballImages {
  private TarballImages() {}

  public static boolean isTarball(String source) {
    String s = source.toLowerCase(Locale.ROOT);
    return s.endsWith(".tar") || s.endsWith(".tar.gz") || s.endsWith(".tgz");
  }

  /**
   * @param tarballs archive paths or globs (local or s3://)
   * @param workDir a folder the extracted images may be written to
   */
  public static PTransform<PCollection<String>, PCollection<ImageLocation>> locate(
      List<String> tarballs, String workDir) {
    throw new UserError("--images: tarball inputs " + tarballs + " are not supported yet (they arrive "
        + "with issue 3); extract them and pass the folder instead");
  }
}
