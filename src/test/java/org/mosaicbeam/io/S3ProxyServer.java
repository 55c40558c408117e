package org.mosaicbeam.io;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy ({@code target/tools/s3proxy.jar}, copied by the
 * pom) in its own JVM on 127.0.0.1 and a free port, no authorization, filesystem backend in a temp
 * dir (so objects survive {@link #stop()} / {@link #start()} in the interruption tests).
 *
 * <pre>{@code @RegisterExtension static final S3ProxyServer S3 = new S3ProxyServer();}</pre>
 *
 * <p>Credentials: the code under test reads them from the SDK default chain like in production;
 * this harness sets the dummy system properties {@code aws.accessKeyId=test} / {@code
 * aws.secretAccessKey=}{@link #DUMMY_SECRET} (S3Proxy ignores them) and hands the same dummies to
 * child processes through {@link #childEnvironment()}.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback {
  public static final String REGION = "us-east-1";

  /**
   * Not a credential: S3Proxy runs without authorization. Distinctive so tests can grep for leaks.
   */
  public static final String DUMMY_SECRET = "dummy-secret-for-local-s3proxy";

  private static final Path JAR = Path.of("target", "tools", "s3proxy.jar");

  private Path dir;
  private int port;
  private Process process;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", DUMMY_SECRET);
    dir = Files.createTempDirectory("s3proxy-");
    Files.createDirectories(dir.resolve("data"));
    port = freePort();
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Starts the server (again, on the same port and data) and waits until it answers. */
  public synchronized void start() throws IOException, InterruptedException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR + " missing: run through Maven (generate-test-resources copies it)");
    }
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "s3proxy.endpoint=" + endpoint(),
            "s3proxy.authorization=none",
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + dir.resolve("data"),
            ""),
        StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-jar", JAR.toString(), "--properties", props.toString()));
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!answers()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "S3Proxy did not start; log:\n" + Files.readString(dir.resolve("s3proxy.log")));
      }
      Thread.sleep(100);
    }
  }

  /** Stops the server the hard way (as a crash or network loss would), keeping its data. */
  public synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      process = null;
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The flags that point a subcommand or pipeline at this server. */
  public List<String> storageArgs() {
    return List.of("--endpoint=" + endpoint(), "--awsRegion=" + REGION, "--s3PathStyle=true");
  }

  /** Storage options for this server, installed in Beam FileSystems (s3:// works after this). */
  public StorageOptions options(String... extraArgs) {
    List<String> args = new ArrayList<>(storageArgs());
    args.addAll(List.of(extraArgs));
    Storage.register();
    return Storage.configure( // storageArgs() give --awsRegion
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(StorageOptions.class),
        true);
  }

  /** A plain SDK client on this server, for test setup and checks (default credential chain). */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.of(REGION))
        .forcePathStyle(true)
        .build();
  }

  public void createBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  /** Environment for a child JVM (e.g. the launcher): the same dummy credentials. */
  public static Map<String, String> childEnvironment() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", DUMMY_SECRET, "AWS_REGION", REGION);
  }

  private boolean answers() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint().toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      c.getResponseCode();
      c.disconnect();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
