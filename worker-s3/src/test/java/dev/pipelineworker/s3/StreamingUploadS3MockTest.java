package dev.pipelineworker.s3;

import static dev.pipelineworker.s3.S3MockServer.BUCKET;
import static dev.pipelineworker.s3.S3MockServer.KEY_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.internal.archive.DirectoryZipper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Zips and streams written into S3Mock part by part, as they fill: object bytes, parts, headers, aborts. */
class StreamingUploadS3MockTest {

    private static final int MIB = 1 << 20;
    private static final ExecutorService DEFLATE = Executors.newFixedThreadPool(2);

    @TempDir
    Path temp;

    private static S3ArtifactStoreFactory factory;
    private static S3Client verifier;

    private final String prefix = "streaming/" + UUID.randomUUID() + "/";

    @BeforeAll
    static void start() {
        factory = S3MockServer.storeFactory()
                .multipartThreshold(5 * MIB)
                .partSize(5 * MIB)
                .partsInFlight(2)
                .deflateExecutor(DEFLATE, 2)
                .build();
        verifier = S3MockServer.verifier();
    }

    @AfterAll
    static void stop() {
        factory.close();
        verifier.close();
        DEFLATE.shutdownNow();
    }

    @Test
    void aZipLargerThanOnePartIsStreamedInPartsAndIsTheZipOfTheTree() throws IOException {
        Path tree = tree(17 * MIB);

        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ID))) {
            store.writeOutputZip("out", tree);
        }

        byte[] expected = zipLocally(tree);
        HeadObjectResponse head = verifier.headObject(b -> b.bucket(BUCKET).key(prefix + "out.zip"));
        int parts = (expected.length + 5 * MIB - 1) / (5 * MIB);
        assertThat(parts).isGreaterThan(3);
        assertThat(head.eTag()).endsWith("-" + parts + "\"");
        // S3Mock does not keep a multipart upload's SSE headers: StreamingUploadWireMockTest checks them as sent
        byte[] object = object();
        assertThat(object).isEqualTo(expected);
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(object)).get()) {
            ZipArchiveEntry script = zip.getEntry("bin/run.sh");
            assertThat(script.getUnixMode() & 0777).isEqualTo(0750);
            assertThat(zip.getInputStream(script).readAllBytes()).isEqualTo(Files.readAllBytes(tree.resolve("bin/run.sh")));
            assertThat(zip.getInputStream(zip.getEntry("data.bin")).readAllBytes())
                    .isEqualTo(Files.readAllBytes(tree.resolve("data.bin")));
            assertThat(zip.getEntry("data.bin").getMethod()).isEqualTo(ZipArchiveEntry.STORED);
            assertThat(zip.getEntry("src/Main.java").getMethod()).isEqualTo(ZipArchiveEntry.DEFLATED);
        }
    }

    @Test
    void aZipWithinTheThresholdIsOnePutWithTheAwsManagedKey() throws IOException {
        Path tree = tree(MIB);

        try (ArtifactStore store = open(null)) {
            store.writeOutputZip("out", tree);
        }

        HeadObjectResponse head = verifier.headObject(b -> b.bucket(BUCKET).key(prefix + "out.zip"));
        assertThat(head.eTag()).doesNotContain("-");
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).isNull();
        assertThat(object()).isEqualTo(zipLocally(tree));
    }

    @Test
    void aStreamOfExactlyPartsIsSentWithoutAnEmptyLastPart() throws IOException {
        byte[] content = random(10 * MIB, 3);

        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ID))) {
            store.writeOutput("out", new java.io.ByteArrayInputStream(content), content.length);
        }

        assertThat(verifier.headObject(b -> b.bucket(BUCKET).key(prefix + "out.zip")).eTag()).endsWith("-2\"");
        assertThat(object()).isEqualTo(content);
    }

    @Test
    void aStreamLongerThanAnnouncedIsAbortedAfterItsPartsWereSent() throws IOException {
        byte[] content = random(12 * MIB, 4);

        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ID))) {
            assertThatThrownBy(() -> store.writeOutput("out", new java.io.ByteArrayInputStream(content), 11 * MIB))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("were announced");
        }

        assertThat(verifier.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents()).isEmpty();
        assertThat(verifier.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads()).isEmpty();
    }

    private Path tree(int dataBytes) throws IOException {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.createDirectories(tree.resolve("bin"));
        Files.createDirectories(tree.resolve("src"));
        Files.writeString(tree.resolve("bin/run.sh"), "#!/bin/sh\nexec java -jar app.jar\n");
        Files.setPosixFilePermissions(tree.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(tree.resolve("src/Main.java"), "class Main { int value = 42; }\n".repeat(100_000),
                StandardCharsets.US_ASCII);
        Files.write(tree.resolve("data.bin"), random(dataBytes, dataBytes));
        return tree;
    }

    private static byte[] zipLocally(Path tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DirectoryZipper.onCallingThread().zip(tree, out);
        return out.toByteArray();
    }

    private byte[] object() throws IOException {
        try (InputStream in = verifier.getObject(b -> b.bucket(BUCKET).key(prefix + "out.zip"))) {
            return in.readAllBytes();
        }
    }

    private ArtifactStore open(EncryptionKey key) {
        return factory.open(Jobs.access(BUCKET, prefix + "in.zip", prefix + "out.zip", key,
                Jobs.credentials("AKIDSTREAM"), Jobs.NO_REFRESH));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
