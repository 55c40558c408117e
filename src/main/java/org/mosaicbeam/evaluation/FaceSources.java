package org.mosaicbeam.evaluation;

import java.util.List;

/**
 * The real faces the face set is built from: photographs that Debian packages ship (installed by
 * scripts/setup), each with its faces' boxes. The boxes are BlazeFace's on the full-size original
 * (whole photo at 256×256, where every one of these faces is large), each checked by eye: brow to
 * below the chin, ear to ear.
 */
final class FaceSources {
  private FaceSources() {}

  static final String OPENCV_HTML = "/usr/share/doc/opencv-doc/opencv4/html/";
  static final String OPENCV_DATA = "/usr/share/doc/opencv-doc/examples/data/";
  static final String MATPLOTLIB_DATA = "/usr/share/matplotlib/mpl-data/sample_data/";
  static final String IMAGEIO_IMAGES = "/usr/lib/python3/dist-packages/imageio/resources/images/";

  /** A box in pixels. */
  record Box(int x, int y, int w, int h) {}

  /**
   * A photograph and its faces.
   *
   * @param usable the part of the photo a crop may take (some are panels beside a drawn-on copy)
   * @param pasteFaces the faces clean enough to paste (no drawing on them)
   * @param asIs whether the whole photo joins the set as it is (all its faces annotated)
   */
  record Photo(String path, Box usable, List<Box> faces, List<Box> pasteFaces, boolean asIs) {}

  static final List<Photo> PHOTOS =
      List.of(
          // opencv-doc, face-swapping tutorial: two men, and the first with the second's face
          photo(OPENCV_HTML + "227943776_1.jpg", null, true, new Box(140, 121, 161, 161)),
          photo(OPENCV_HTML + "230501201_1.jpg", null, true, new Box(183, 280, 307, 306)),
          photo(OPENCV_HTML + "face_swapped.jpg", null, true, new Box(107, 85, 117, 117)),
          // opencv-doc, facemark tutorial: one man three times, the middle copy drawn on
          new Photo(
              OPENCV_HTML + "example.jpg",
              new Box(0, 0, 376, 580),
              List.of(
                  new Box(26, 214, 330, 331),
                  new Box(418, 210, 320, 320),
                  new Box(799, 233, 324, 324)),
              List.of(new Box(26, 214, 330, 331)),
              true),
          // opencv-doc, inpainting: an old black-and-white couple photo, scratched (left) and
          // restored (right); only the restored panel is pasted
          new Photo(
              OPENCV_HTML + "inpaint_basics.jpg",
              new Box(229, 0, 221, 168),
              List.of(
                  new Box(129, 24, 49, 49),
                  new Box(52, 95, 48, 47),
                  new Box(356, 25, 47, 46),
                  new Box(280, 98, 44, 44)),
              List.of(new Box(356, 25, 47, 46), new Box(280, 98, 44, 44)),
              true),
          // opencv-doc, face recognition: four faces with landmarks drawn on them (as is only)
          new Photo(
              OPENCV_HTML + "facereg.jpg",
              null,
              List.of(
                  new Box(116, 18, 65, 65),
                  new Box(14, 15, 66, 66),
                  new Box(13, 118, 66, 66),
                  new Box(115, 113, 69, 69)),
              List.of(),
              true),
          // opencv-doc: a footballer in front of a blurred crowd whose faces are not annotated, so
          // only his face is pasted
          photo(OPENCV_DATA + "messi5.jpg", null, false, new Box(221, 96, 38, 38)),
          // python-matplotlib-data
          photo(MATPLOTLIB_DATA + "grace_hopper.jpg", null, true, new Box(167, 137, 200, 199)),
          // python3-imageio
          photo(IMAGEIO_IMAGES + "astronaut.png", null, true, new Box(171, 74, 107, 106)));

  private static Photo photo(String path, Box usable, boolean asIs, Box face) {
    return new Photo(path, usable, List.of(face), List.of(face), asIs);
  }
}
