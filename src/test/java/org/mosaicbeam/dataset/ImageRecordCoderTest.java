package org.mosaicbeam.dataset;

import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class ImageRecordCoderTest {
  /** Kept and dropped records (null path and format, problems, several boxes) come back equal. */
  @Test
  void roundTrips() throws Exception {
    ImageLocation image = new ImageLocation("a1", "/imgs/a1.jpg", 12345, "jpeg", 640, 480, 3, null);
    ImageRecord kept =
        new ImageRecord(
            "a1",
            image,
            List.of(new PixelBox(0, 1, 2, 30, 40, 1.0), new PixelBox(3, 0, 0, 640, 480, 0.5)),
            List.of(),
            true,
            "train");
    ImageRecord dropped =
        new ImageRecord(
            "b2",
            ImageLocation.missing("b2"),
            List.of(),
            List.of("missing", "no box of the wanted classes"),
            false,
            "");
    CoderProperties.coderDecodeEncodeEqual(ImageRecordCoder.of(), kept);
    CoderProperties.coderDecodeEncodeEqual(ImageRecordCoder.of(), dropped);
    CoderProperties.coderDeterministic(ImageRecordCoder.of(), kept, kept);
  }
}
