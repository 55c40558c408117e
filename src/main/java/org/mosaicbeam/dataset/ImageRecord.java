package org.mosaicbeam.dataset;

import java.io.Serializable;
import java.util.List;

/**
 * One selected image after the checks: its file, its boxes in pixels (sorted), the reasons it
 * breaks a limit or cannot be used, and whether it goes into the dataset.
 */
public record ImageRecord(
    String imageId, ImageLocation image, List<PixelBox> boxes, List<String> problems, boolean kept)
    implements Serializable {}
