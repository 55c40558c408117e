package org.mosaicbeam.anonymize;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.File;
import java.nio.ShortBuffer;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.mosaicbeam.args.Cli;
import org.mosaicbeam.base.UserError;
import org.mosaicbeam.video.Ff;

/**
 * {@code mosaicbeam generate-video-sample}: writes a short synthetic "dashcam" clip (no download)
 * for the demo: a road-grey scene with a rendered licence plate driving across, a real face photo
 * (Debian's opencv-doc sample; {@code --facePhoto=none} for none), 30000/1001 fps and a tone as
 * audio.
 */
public final class SampleVideo {
  private SampleVideo() {}

  /** Options of the generator. */
  public interface Options extends PipelineOptions {
    @Description("Output .mp4 file.")
    @Validation.Required
    String getOutput();

    void setOutput(String value);

    @Description("Length in seconds.")
    @Default.Integer(6)
    int getSeconds();

    void setSeconds(int value);

    @Description(
        "A photo with a face to paste into the scene (Debian's opencv-doc, which "
            + "scripts/setup installs), or none.")
    @Default.String(FACE_PHOTO)
    String getFacePhoto();

    void setFacePhoto(String value);

    @Description("Also write the clip's middle frame here as a picture (for detect --draw).")
    String getStill();

    void setStill(String value);
  }

  /** The demo's face: a real photo (faces cannot be drawn convincingly for a face detector). */
  public static final String FACE_PHOTO = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";

  public static void main(String[] args) throws Exception {
    Options o = Cli.parse(args, Options.class);
    if (o != null) {
      File face = o.getFacePhoto().equals("none") ? null : new File(o.getFacePhoto());
      if (face != null && !face.isFile()) {
        // a demo that silently shows no face hides half of what the tool does
        throw new UserError(
            "--facePhoto="
                + face
                + ": no such file (Debian's opencv-doc has it: "
                + "scripts/setup installs it; --facePhoto=none makes a clip without a face)");
      }
      write(
          new File(o.getOutput()),
          o.getSeconds(),
          face,
          o.getStill() == null ? null : new File(o.getStill()));
    }
  }

  public static void write(File out, int seconds, File facePhoto) throws Exception {
    write(out, seconds, facePhoto, null);
  }

  /**
   * Writes the clip; {@code facePhoto} null: no face; {@code still}: the middle frame as a picture.
   */
  public static void write(File out, int seconds, File facePhoto, File still) throws Exception {
    int w = 640;
    int h = 360;
    if (out.getAbsoluteFile().getParentFile() != null) {
      out.getAbsoluteFile().getParentFile().mkdirs();
    }
    Mat face = null;
    if (facePhoto != null && facePhoto.isFile()) {
      Mat photo = imread(facePhoto.getPath());
      face = new Mat();
      resize(photo, face, new Size(330, 206));
    }
    int rate = 44100;
    Ff.init(); // FFmpeg quiet unless --verbose (its "Output #0" stream dump)
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out, w, h, 1);
        OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
      r.setFormat("mp4");
      r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
      r.setFrameRate(30000.0 / 1001);
      r.setVideoBitrate(2_000_000);
      r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
      r.setSampleRate(rate);
      r.start();
      int frames = (int) Math.round(seconds * 30000.0 / 1001);
      long sample = 0;
      for (int i = 0; i < frames; i++) {
        Mat img = new Mat(h, w, CV_8UC3, new Scalar(95, 100, 105, 0));
        rectangle(img, new Rect(0, 0, w, 120), new Scalar(200, 170, 120, 0), -1, 8, 0); // sky
        if (face != null) {
          face.copyTo(new Mat(img, new Rect(20, 20, face.cols(), face.rows())));
        }
        int px = 40 + (i * 3) % (w - 240);
        Rect plate = new Rect(px, 250, 180, 40);
        rectangle(img, new Rect(px - 40, 190, 260, 120), new Scalar(60, 60, 160, 0), -1, 8, 0);
        rectangle(img, plate, new Scalar(245, 245, 245, 0), -1, 8, 0);
        rectangle(img, plate, new Scalar(20, 20, 20, 0), 2, 8, 0);
        putText(
            img,
            "A123BC 77",
            new Point(px + 7, 280),
            FONT_HERSHEY_SIMPLEX,
            40 / 38.0,
            new Scalar(10, 10, 10, 0),
            2,
            8,
            false);
        r.record(conv.convert(img));
        if (still != null && i == frames / 2) {
          if (still.getAbsoluteFile().getParentFile() != null) {
            still.getAbsoluteFile().getParentFile().mkdirs();
          }
          imwrite(still.getPath(), img);
        }
        img.close();
        // audio: a 440 Hz tone, as many samples as this frame lasts
        long until = Math.round((i + 1) * 1001.0 / 30000 * rate);
        ShortBuffer tone = ShortBuffer.allocate((int) (until - sample));
        for (; sample < until; sample++) {
          tone.put((short) (8000 * Math.sin(2 * Math.PI * 440 * sample / rate)));
        }
        tone.flip();
        r.recordSamples(rate, 1, tone);
      }
      r.stop();
    }
    System.err.println("generate-video-sample: wrote " + out);
  }
}
