package org.mosaicbeam.model;

/**
 * How the local face model ({@code --faceModel=blazeface}) looks at a frame ({@code
 * --faceSearch}). BlazeFace finds faces down to about 10 px of its input: a pass at scale
 * {@code s} finds faces of about {@code 10/s} px of the frame, at a cost that grows with the
 * pixels it looks at. A coarse pass (the whole frame squeezed into 256×256) adds the faces too
 * large for the finer pass, for ~3 ms.
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
