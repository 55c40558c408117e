package org.mosaicbeam.anonymize;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A run's work folder, {@code .mosaicbeam-work-<uuid>/} next to the output (segment packets, audit
 * parts), and the clean-up of the ones runs left behind. A run removes its folder when it ends, but
 * one killed with {@code kill -9} (or by the OOM killer) cannot: its folder held up to a whole
 * video's encoded segments. So each folder holds an owner file (pid, process start time, host) and
 * a run starting in the same place removes the folders whose owner is gone. A live run's folder is
 * never touched: same pid and same start time means alive (the start time tells a reused pid
 * apart), and a folder of another host is left alone (a pid means nothing across machines).
 */
final class WorkFolder {
  static final String PREFIX = ".mosaicbeam-work-";
  static final String OWNER = "owner.pid";
  // A folder with no owner file: a run killed between creating it and writing the file (a few
  // microseconds), or one starting right now. Removed once it is this old.
  static final long NO_OWNER_GRACE_MILLIS = 10 * 60 * 1000;

  private WorkFolder() {}

  /** A new work folder inside {@code outDir} (ends with "/"); local ones get an owner file. */
  static String create(String outDir) throws IOException {
    String dir = outDir + PREFIX + UUID.randomUUID() + "/";
    if (org.mosaicbeam.io.LocalFiles.isLocal(dir)) {
      File f = org.mosaicbeam.io.LocalFiles.localFile(dir);
      Files.createDirectories(f.toPath());
      writeOwner(f);
    }
    return dir;
  }

  private static void writeOwner(File folder) throws IOException {
    ProcessHandle me = ProcessHandle.current();
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(me.pid()));
    me.info().startInstant().ifPresent(t -> p.setProperty("started", t.toString()));
    p.setProperty("host", host());
    Path tmp = folder.toPath().resolve(OWNER + ".tmp");
    try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "mosaicbeam anonymize run; the folder is removed when the run ends");
    }
    Files.move(tmp, folder.toPath().resolve(OWNER), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the work folders in {@code outDir} whose run is gone; returns those removed. */
  static List<File> removeStale(File outDir) {
    List<File> removed = new ArrayList<>();
    File[] children = outDir.listFiles((d, name) -> name.startsWith(PREFIX));
    if (children == null) {
      return removed;
    }
    for (File f : children) {
      if (f.isDirectory() && isStale(f, System.currentTimeMillis())) {
        try {
          deleteTree(f.toPath());
          removed.add(f);
        } catch (IOException e) {
          System.err.println("anonymize: cannot remove the stale work folder " + f + ": " + e);
        }
      }
    }
    return removed;
  }

  static boolean isStale(File folder, long nowMillis) {
    File owner = new File(folder, OWNER);
    if (!owner.isFile()) {
      return nowMillis - folder.lastModified() > NO_OWNER_GRACE_MILLIS;
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(owner.toPath(), StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      return false; // unreadable: better kept than a live run's folder removed
    }
    if (!host().equals(p.getProperty("host", host()))) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(p.getProperty("pid", ""));
    } catch (NumberFormatException e) {
      return false;
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return true;
    }
    String started = p.getProperty("started");
    Optional<Instant> liveStart = h.get().info().startInstant();
    return started != null
        && liveStart.isPresent()
        && !liveStart.get().toString().equals(started); // the pid was reused
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** This machine's name, from the kernel (no DNS look-up). */
  static String host() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException | RuntimeException e) {
      try {
        return java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e2) {
        return "unknown";
      }
    }
  }
}
