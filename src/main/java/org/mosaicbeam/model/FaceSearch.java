package org.mosaicbeam.model;

/**
 * How the local face model ({@code --faceModel=blazeface}) looks at a frame ({@code --faceSearch}).
 * BlazeFace finds faces down to about 10 px of its input: a pass at scale {@code s} finds faces of
 * about {@code 10/s} px of the frame, at a cost that grows with the pixels it looks at; it fails on
 * faces over ~160 px of its input, which the coarse pass (the whole frame squeezed into 256×256,
 * 6-8 ms) finds.
 *
 * <p>Measured on the face set ({@code make-face-set}: 618 faces, 12-200 px, in 158 images) at score
 * 0.5, recall of faces >= 20 px / strays per image / CPU ms per 1080p frame (720p): TILES 0.939 /
 * 0.28 / 55 (55), SCALE_50 0.917 / 0.20 / 55 (24), COARSE_SCALE_50 0.919 / 0.21 / 63 (31),
 * COARSE_SCALE_67 0.968 / 0.37 / 114 (49), SCALE_75 0.972 / 0.47 / 129 (52), FULL 0.980 / 1.11 /
 * 265 (97). The default is COARSE_SCALE_67: on real crowd photos TILES finds 0.79 of faces >= 20 px
 * (issue 11) against 0.939 here, so reaching 0.85 there takes cutting its misses by about 30 %;
 * COARSE_SCALE_67 cuts them by half here (by 72 % on the 1080p frames), the *_50 searches do not
 * (they miss more than TILES on 720p frames). Without the coarse pass, faces of 88-990 px (the
 * Debian photos at 2x and 3x) are found 0.66 of the time instead of 1.00.
 */
public enum FaceSearch {
  /** The whole frame at 256×256 only. */
  COARSE(true, 0),
  /** The whole frame at 256×256 plus a 2-row grid of overlapping tiles, each at 256×256. */
  TILES(true, 2),
  /** The whole frame at full resolution. */
  FULL(false, 0, 1.0),
  SCALE_75(false, 0, 0.75),
  SCALE_67(false, 0, 2 / 3.0),
  SCALE_50(false, 0, 0.5),
  COARSE_FULL(true, 0, 1.0),
  COARSE_SCALE_75(true, 0, 0.75),
  COARSE_SCALE_67(true, 0, 2 / 3.0),
  COARSE_SCALE_50(true, 0, 0.5);

  private final boolean coarse;
  private final int tileRows;
  private final double[] scales;

  FaceSearch(boolean coarse, int tileRows, double... scales) {
    this.coarse = coarse;
    this.tileRows = tileRows;
    this.scales = scales;
  }

  /** Whether the whole frame is also looked at squeezed into 256×256. */
  boolean coarse() {
    return coarse;
  }

  /** 0: no tiles; n: an n-row grid of overlapping square tiles, each at 256×256. */
  int tileRows() {
    return tileRows;
  }

  /** Whole-frame passes at these scales of the frame (any input size, sides padded to 32). */
  double[] scales() {
    return scales.clone();
  }
}
