package org.mosaicbeam.dataset;

import java.io.Serializable;
import java.util.List;

/** The images chosen for the dataset (sorted), and how many had the required class at all. */
public record Selection(long candidates, List<String> imageIds) implements Serializable {}
