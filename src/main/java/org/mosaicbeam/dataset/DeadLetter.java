package org.mosaicbeam.dataset;

import java.io.Serializable;

/**
 * A CSV row that was rejected. The byte offset is turned into a line number only when the
 * dead-letter file is written (rows are found by byte ranges, not by counting lines).
 */
public record DeadLetter(String file, long offset, String reason, String row) implements Serializable {}
