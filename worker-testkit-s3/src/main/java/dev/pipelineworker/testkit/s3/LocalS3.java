package dev.pipelineworker.testkit.s3;

import com.adobe.testing.s3mock.S3MockApplication;
import dev.pipelineworker.testkit.Zips;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 on a free local port for end-to-end tests of S3-backed handlers, next to
 * {@code LocalCodePipeline}: S3Mock (a Spring Boot application) in this JVM, holding one bucket and, optionally,
 * accepting one KMS key. {@link LocalWorkers} wires a worker to both.
 *
 * <p>Path-style addressing only; any credentials are accepted. S3Mock checks an SSE-KMS key id against its valid key
 * ARNs by the id after {@code key/}, so jobs should name the bare key id. It records the encryption headers but does
 * not encrypt. Starting takes a few seconds, so tests usually share one instance.
 *
 * <p>It leaves the JVM's logging alone: Spring Boot's logging system is kept out of S3Mock (which would otherwise
 * reconfigure Logback and set the root level to WARN), and Tomcat's {@code java.util.logging} loggers are set to
 * WARNING (the class loader's thread warnings at stop to SEVERE) unless something already gave them a
 * level. S3Mock's and Spring's own lines go through SLF4J like any
 * other library's; a test's {@code logback-test.xml} can quiet {@code org.springframework} and
 * {@code com.adobe.testing}.
 */
public final class LocalS3 implements AutoCloseable {

    /** The region {@link #newClient()} and {@link LocalWorkers} use; S3Mock accepts any. */
    public static final Region REGION = Region.US_EAST_1;
    /** Fixed fake credentials for the clients this class and {@link LocalWorkers} build; S3Mock accepts any. */
    public static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    /** Spring Boot's switch for its logging system; "none" leaves the application's logging as it is. */
    private static final String SPRING_LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";
    /**
     * Tomcat's loggers and the level they get unless already set: its INFO lines at every start, and the warning
     * about S3Mock's task threads at every stop, are noise in a test's output. Held strongly: java.util.logging
     * forgets the level of a logger nobody references.
     */
    private static final Map<Logger, Level> TOMCAT_LEVELS = Map.of(
            Logger.getLogger("org.apache.catalina"), Level.WARNING,
            Logger.getLogger("org.apache.coyote"), Level.WARNING,
            Logger.getLogger("org.apache.tomcat"), Level.WARNING,
            Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase"), Level.SEVERE);

    private final S3MockApplication server;
    private final URI endpoint;
    private final String bucket;
    private S3Client client;

    @SuppressWarnings("removal") // S3Mock 4 deprecates its plain-HTTP connector; the tests use it until S3Mock drops it
    private LocalS3(S3MockApplication server, String bucket) {
        this.server = server;
        this.bucket = bucket;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getHttpPort());
    }

    /**
     * Starts S3Mock with {@code bucket} created and no KMS key of its own: SSE-KMS uploads that name no key id (the
     * AWS managed key, what the worker sends for a job without an encryption key) are accepted.
     */
    public static LocalS3 start(String bucket) {
        return start(bucket, null);
    }

    /** Starts S3Mock with {@code bucket} created and {@code kmsKeyArn} (may be null) as its only valid key. */
    public static LocalS3 start(String bucket, String kmsKeyArn) {
        Objects.requireNonNull(bucket, "bucket");
        Path root;
        try {
            root = Files.createTempDirectory("local-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> properties = new HashMap<>(Map.of(
                S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT,
                S3MockApplication.PROP_INITIAL_BUCKETS, bucket,
                S3MockApplication.PROP_ROOT_DIRECTORY, root.toString(),
                "spring.main.banner-mode", "off",
                "spring.main.log-startup-info", false,
                "server.shutdown", "immediate"));
        if (kmsKeyArn != null) {
            properties.put("com.adobe.testing.s3mock.store.validKmsKeys", kmsKeyArn);
        }
        properties.put("spring.config.location", ownConfiguration());
        return new LocalS3(startLeavingLoggingAlone(properties), bucket);
    }

    /**
     * S3Mock's own application.properties, from its jar, as its only configuration file: in a Spring Boot
     * application's test the application's configuration files share the class path (and the first
     * application.properties on it may be the application's), and what they configure (its workers, health groups
     * and ports) is not S3Mock's.
     */
    private static String ownConfiguration() {
        return "jar:" + S3MockApplication.class.getProtectionDomain().getCodeSource().getLocation()
                + "!/application.properties";
    }

    /**
     * Starts S3Mock without Spring Boot's logging system, which would reset Logback's configuration. Spring reads the
     * switch once, while the application starts, so it is set only for that moment and only when nobody set it.
     */
    private static synchronized S3MockApplication startLeavingLoggingAlone(Map<String, Object> properties) {
        TOMCAT_LEVELS.forEach((tomcat, level) -> {
            if (tomcat.getLevel() == null) {
                tomcat.setLevel(level);
            }
        });
        boolean alreadyChosen = System.getProperty(SPRING_LOGGING_SYSTEM) != null;
        if (!alreadyChosen) {
            System.setProperty(SPRING_LOGGING_SYSTEM, "none");
        }
        try {
            return S3MockApplication.start(properties);
        } finally {
            if (!alreadyChosen) {
                System.clearProperty(SPRING_LOGGING_SYSTEM);
            }
        }
    }

    /** The HTTP endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The bucket created at start. */
    public String bucket() {
        return bucket;
    }

    /** A new client for this S3 (path-style, {@link #CREDENTIALS}, {@link #REGION}); the caller closes it. */
    public S3Client newClient() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .build();
    }

    /** Stores {@code content} under {@code key} in {@link #bucket()}, e.g. a job's input artifact. */
    public void putObject(String key, byte[] content) {
        client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    /** Stores a zip of these paths with their UTF-8 contents under {@code key}, as a pipeline stores a source. */
    public void putZip(String key, Map<String, String> files) {
        putObject(key, Zips.zipTexts(files));
    }

    /** The bytes stored under {@code key} in {@link #bucket()}; fails with the SDK's NoSuchKeyException if none. */
    public byte[] getObject(String key) {
        return client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    /** The zip stored under {@code key}, e.g. a job's output artifact, as path to UTF-8 text. */
    public Map<String, String> getZipTexts(String key) {
        return Zips.unzipTexts(getObject(key), key);
    }

    private synchronized S3Client client() {
        if (client == null) {
            client = newClient();
        }
        return client;
    }

    /** Stops S3Mock, which deletes the objects it stored. */
    @Override
    public synchronized void close() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            server.stop();
        }
    }

    @Override
    public String toString() {
        return "LocalS3[" + endpoint + ", bucket " + bucket + "]";
    }
}
