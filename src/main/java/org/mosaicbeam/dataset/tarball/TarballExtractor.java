package org.mosaicbeam.dataset.tarball;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.mosaicbeam.io.AtomicOutput;
import org.mosaicbeam.io.LocalFiles;
import org.mosaicbeam.io.Progress;

/**
 * Picks the selected {@code <ImageID>.jpg} members out of one tarball in a single streaming pass
 * (no listing pass, no temporary copy of the archive): members are read in order and only the
 * selected ones are written, each to a temporary name then renamed. Works on any Beam FileSystems
 * path (local or s3://) for both the tarball and the output folder.
 */
final class TarballExtractor {
  /** Read-ahead on the compressed and the decompressed side: fewer, larger native inflate calls. */
  static final int BUFFER_BYTES = 1 << 20;

  /** What happened to each member worth reporting. */
  interface Listener {
    /**
     * A selected image is in the output folder: written now, or already there with the same size.
     */
    void image(String imageId, String path, boolean alreadyPresent);

    /**
     * A member that was not written (unsafe, a duplicate, too large) or the tarball could not be
     * read on.
     */
    void rejected(RejectedMember rejected);
  }

  /** Counts for one tarball. */
  static final class Stats {
    long members;
    long written;
    long present;
    long rejected;
    long bytesWritten;
  }

  private final Set<String> selectedIds;
  private final ResourceId outputDir;
  private final long maxImageBytes;

  /**
   * @param maxImageBytes a member larger than this is not written (--maxImageBytes)
   */
  TarballExtractor(Set<String> selectedIds, String outputDir, long maxImageBytes) {
    this.selectedIds = Collections.unmodifiableSet(selectedIds);
    this.outputDir = FileSystems.matchNewResource(outputDir, true);
    this.maxImageBytes = maxImageBytes;
  }

  static boolean isTarball(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    return p.endsWith(".tar") || p.endsWith(".tar.gz") || p.endsWith(".tgz");
  }

  /** Extracts the selected images of {@code tarball}; reports each image and rejected member. */
  Stats extract(Metadata tarball, Listener listener) throws IOException {
    Stats stats = new Stats();
    Map<String, String> memberOf = new HashMap<>(); // selected ImageID -> the member it came from
    String name = tarball.resourceId().toString();
    Progress progress =
        new Progress(
            "tarball " + tarball.resourceId().getFilename() + " MiB", tarball.sizeBytes() >> 20);
    CountingStream counted =
        new CountingStream(Channels.newInputStream(FileSystems.open(tarball.resourceId())));
    try (InputStream compressed = new BufferedInputStream(counted, BUFFER_BYTES);
        InputStream plain =
            isGzip(name) ? new GZIPInputStream(compressed, BUFFER_BYTES) : compressed;
        TarArchiveInputStream tar =
            new TarArchiveInputStream(
                new SkipByReading(new BufferedInputStream(plain, BUFFER_BYTES)))) {
      long reportedMiB = 0;
      while (true) {
        TarArchiveEntry entry = tar.getNextEntry();
        if (entry == null) {
          break;
        }
        stats.members++;
        long mib = counted.count >> 20;
        progress.add(mib - reportedMiB);
        reportedMiB = mib;
        String reason = TarMembers.unsafeReason(entry);
        if (reason != null) {
          stats.rejected++;
          listener.rejected(
              new RejectedMember(name, entry.getName(), RejectedMember.Why.UNSAFE, reason));
          continue;
        }
        String fileName = TarMembers.fileName(entry.getName());
        if (entry.isDirectory() || !fileName.endsWith(".jpg")) {
          continue;
        }
        String imageId = fileName.substring(0, fileName.length() - ".jpg".length());
        if (!selectedIds.contains(imageId)) {
          continue; // the next getNextEntry() streams past its bytes
        }
        String first = memberOf.putIfAbsent(imageId, entry.getName());
        if (first != null) {
          // only the file name is kept, so a second member of that name must not replace the first
          stats.rejected++;
          listener.rejected(
              new RejectedMember(
                  name,
                  entry.getName(),
                  RejectedMember.Why.DUPLICATE,
                  "second member for image " + imageId + " (first: " + first + ")"));
          continue;
        }
        // A sparse member's real size can be far above the bytes it occupies in the archive.
        long declared = Math.max(entry.getSize(), entry.getRealSize());
        if (declared > maxImageBytes) {
          stats.rejected++;
          listener.rejected(tooLarge(name, entry.getName(), declared + " bytes"));
          continue; // the next getNextEntry() streams past its bytes without writing them
        }
        ResourceId target = outputDir.resolve(fileName, StandardResolveOptions.RESOLVE_FILE);
        if (sizeOf(target) == entry.getSize()) {
          stats.present++;
          listener.image(imageId, target.toString(), true);
          continue;
        }
        try {
          AtomicOutput.write(
              target.toString(), "image/jpeg", out -> copyMember(tar, entry, out, maxImageBytes));
        } catch (TooLarge e) {
          // AtomicOutput deleted the partial file
          stats.rejected++;
          listener.rejected(
              tooLarge(name, entry.getName(), "more than " + maxImageBytes + " bytes"));
          continue;
        } catch (BadArchive e) {
          throw e;
        } catch (IOException e) {
          // The output is at fault, not the input: fail loudly rather than dead-letter it.
          throw new UncheckedIOException("cannot write " + target, e);
        }
        stats.written++;
        stats.bytesWritten += entry.getSize();
        listener.image(imageId, target.toString(), false);
      }
    } catch (IOException e) {
      // A corrupt or truncated archive: what was written so far is complete; report the rest.
      stats.rejected++;
      listener.rejected(
          new RejectedMember(
              name,
              "",
              RejectedMember.Why.UNREADABLE_TARBALL,
              "unreadable after " + stats.members + " members: " + e.getMessage()));
    }
    return stats;
  }

  private RejectedMember tooLarge(String tarball, String member, String size) {
    return new RejectedMember(
        tarball,
        member,
        RejectedMember.Why.TOO_LARGE,
        "image of " + size + ", over --maxImageBytes=" + maxImageBytes);
  }

  /**
   * Copies the current member; a read failure or short member is the archive's fault. Stops with
   * {@link TooLarge} as soon as more than {@code maxBytes} came out, whatever the header declared
   * (the header is checked first; this bounds what a lying or sparse member can write).
   */
  private static void copyMember(
      TarArchiveInputStream tar, TarArchiveEntry entry, OutputStream out, long maxBytes)
      throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    while (true) {
      int n;
      try {
        n = tar.read(buffer);
      } catch (IOException e) {
        throw new BadArchive(e.getMessage(), e);
      }
      if (n < 0) {
        break;
      }
      copied += n;
      if (copied > maxBytes) {
        throw new TooLarge();
      }
      out.write(buffer, 0, n);
    }
    if (copied != entry.getRealSize()) {
      throw new BadArchive(
          "member "
              + entry.getName()
              + " is truncated: "
              + copied
              + " of "
              + entry.getSize()
              + " bytes",
          null);
    }
  }

  /** The member grew past the size limit while being extracted. */
  private static final class TooLarge extends IOException {
    TooLarge() {
      super("member over the size limit");
    }
  }

  /** The archive itself is corrupt or truncated. */
  private static final class BadArchive extends IOException {
    BadArchive(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static boolean isGzip(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    return p.endsWith(".gz") || p.endsWith(".tgz");
  }

  /** Size of an existing file, or -1. */
  private static long sizeOf(ResourceId file) throws IOException {
    return LocalFiles.matchExisting(file.toString()).map(Metadata::sizeBytes).orElse(-1L);
  }

  /**
   * Skips by reading into a large scratch buffer. The tar reader skips every unselected member;
   * left to themselves, BufferedInputStream and InflaterInputStream skip through a 512-byte buffer,
   * one native inflate call per 512 bytes, which tripled the time of a pass.
   */
  private static final class SkipByReading extends java.io.FilterInputStream {
    private final byte[] scratch = new byte[256 * 1024];

    SkipByReading(InputStream in) {
      super(in);
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = 0;
      while (skipped < n) {
        int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }
  }

  /** Counts compressed bytes read, for progress. */
  private static final class CountingStream extends java.io.FilterInputStream {
    volatile long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
