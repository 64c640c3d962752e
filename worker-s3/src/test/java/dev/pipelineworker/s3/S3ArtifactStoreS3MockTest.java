package dev.pipelineworker.s3;

import static dev.pipelineworker.s3.S3MockServer.BUCKET;
import static dev.pipelineworker.s3.S3MockServer.KEY_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.ZipLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The store against S3Mock with the real SDK: encryption headers, multipart, zips, missing objects. */
class S3ArtifactStoreS3MockTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path temp;

    private static S3ArtifactStoreFactory factory;
    private static S3Client verifier;

    private final String prefix = "pipeline/" + UUID.randomUUID() + "/";

    @BeforeAll
    static void start() {
        factory = S3MockServer.storeFactory()
                .multipartThreshold(6 * MIB)
                .partSize(5 * MIB)
                .build();
        verifier = S3MockServer.verifier();
    }

    @AfterAll
    static void stop() {
        factory.close();
        verifier.close();
    }

    @Test
    void uploadsAreSseKmsWithTheJobsKey() throws IOException {
        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ID))) {
            store.writeOutput("out", bytes("hello"), 5);
        }

        HeadObjectResponse head = head("out.bin");
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).isEqualTo(KEY_ID);
        assertThat(read("out.bin")).isEqualTo("hello");
    }

    @Test
    void uploadsWithoutAKeyAreSseKmsWithTheAwsManagedKey() throws IOException {
        try (ArtifactStore store = open(null)) {
            store.writeOutput("out", bytes("hello"), -1);
        }

        HeadObjectResponse head = head("out.bin");
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).isNull();
    }

    @Test
    void aKeyS3DoesNotKnowFailsTheUpload() throws IOException {
        String unknownKey = "00000000-1111-2222-3333-444444444444";
        try (ArtifactStore store = open(EncryptionKey.kms(unknownKey))) {
            assertThatThrownBy(() -> store.writeOutput("out", bytes("hello"), 5))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageContaining("output artifact 'out'")
                    .hasMessageContaining("s3://" + BUCKET + "/" + prefix + "out.bin")
                    .hasMessageContaining("KMS.NotFoundException")
                    .extracting(e -> ((JobFailureException) e).type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
        }
        assertThatThrownBy(() -> head("out.bin")).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aMultipartUploadWithAKeyS3DoesNotKnowFails() throws IOException {
        Path file = randomFile(temp.resolve("big.bin"), 7 * MIB);
        try (ArtifactStore store = open(EncryptionKey.kms("00000000-1111-2222-3333-444444444444"))) {
            assertThatThrownBy(() -> store.writeOutput("out", file))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageContaining("KMS.NotFoundException");
        }
        assertThatThrownBy(() -> head("out.bin")).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aMalformedKeyIdFailsBeforeAnythingIsSent() throws IOException {
        try (ArtifactStore store = open(EncryptionKey.kms("my key"))) {
            assertThatThrownBy(() -> store.writeOutput("out", bytes("hello"), 5))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageContaining("'my key' is not a KMS key id")
                    .extracting(e -> ((JobFailureException) e).type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
        }
        assertThatThrownBy(() -> head("out.bin")).isInstanceOf(NoSuchKeyException.class);
    }

    /**
     * S3Mock stores a multipart object's encryption from the CompleteMultipartUpload headers rather than
     * from CreateMultipartUpload as S3 does, so HeadObject cannot show it here: the WireMock tests check
     * the headers of each multipart request, and the next test shows S3Mock checking the key on them.
     */
    @Test
    void outputsAboveTheThresholdGoMultipart() throws IOException {
        Path file = randomFile(temp.resolve("big.bin"), 12 * MIB);
        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ID))) {
            store.writeOutput("out", file);
        }

        HeadObjectResponse head = head("out.bin");
        assertThat(head.eTag()).endsWith("-3\"");
        assertThat(head.contentLength()).isEqualTo(12 * MIB);
        try (ArtifactStore store = open(null, "out.bin")) {
            Path back = store.downloadInput("src", temp.resolve("back.bin"));
            assertThat(back).hasSameBinaryContentAs(file);
        }
    }

    @Test
    void streamsOfUnknownLengthAreUploadedWhole() throws IOException {
        Path file = randomFile(temp.resolve("stream.bin"), 7 * MIB);
        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ID));
             InputStream in = Files.newInputStream(file)) {
            store.writeOutput("out", in, -1);
        }

        assertThat(head("out.bin").eTag()).endsWith("-2\"");
        try (ArtifactStore store = open(null, "out.bin"); InputStream back = store.openInput("src")) {
            assertThat(back.readAllBytes()).isEqualTo(Files.readAllBytes(file));
        }
    }

    @Test
    void aStreamShorterThanAnnouncedIsRefused() throws IOException {
        try (ArtifactStore store = open(null)) {
            assertThatThrownBy(() -> store.writeOutput("out", bytes("abc"), 10))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("3 bytes, but 10 were announced");
        }
        assertThatThrownBy(() -> head("out.bin")).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void zipRoundTripKeepsContentAndPermissions() throws IOException {
        Path source = Files.createDirectories(temp.resolve("source/bin"));
        Files.writeString(source.resolve("tool.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(source.resolve("tool.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createDirectories(temp.resolve("source/nested/deeper"));
        Files.writeString(temp.resolve("source/nested/deeper/data.txt"), "data");
        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ID))) {
            store.writeOutputZip("out", temp.resolve("source"));
        }

        Path target = temp.resolve("extracted");
        try (ArtifactStore store = open(null, "out.bin")) {
            assertThat(store.extractInput("src", target)).isEqualTo(target);
        }
        assertThat(target.resolve("bin/tool.sh")).hasContent("#!/bin/sh");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("bin/tool.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(target.resolve("nested/deeper/data.txt")).hasContent("data");
    }

    @Test
    void aMissingObjectIsRevisionUnavailable() throws IOException {
        try (ArtifactStore store = open(null, "never-written.zip")) {
            for (ThrowingRead read : new ThrowingRead[] {
                () -> store.openInput("src"),
                () -> store.downloadInput("src", temp.resolve("x")),
                () -> store.extractInput("src", temp.resolve("y")),
            }) {
                assertThatThrownBy(read::run)
                        .isInstanceOf(JobFailureException.class)
                        .hasMessageContaining("input artifact 'src'")
                        .hasMessageContaining("s3://" + BUCKET + "/" + prefix + "never-written.zip")
                        .hasMessageContaining("does not exist")
                        .extracting(e -> ((JobFailureException) e).type())
                        .isEqualTo(FailureType.REVISION_UNAVAILABLE);
            }
        }
    }

    @Test
    void aMissingBucketIsRevisionUnavailable() throws IOException {
        try (ArtifactStore store = factory.open(Jobs.access("no-such-bucket", "in", "out", null,
                Jobs.credentials("AKIDTEST"), Jobs.NO_REFRESH))) {
            assertThatThrownBy(() -> store.writeOutput("out", bytes("x"), 1))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageContaining("NoSuchBucket")
                    .extracting(e -> ((JobFailureException) e).type()).isEqualTo(FailureType.REVISION_UNAVAILABLE);
        }
    }

    @Test
    void anInputThatIsNotAZipFailsNamingTheArtifact() throws IOException {
        put("plain.txt", "just some text, certainly not a zip".getBytes(StandardCharsets.UTF_8));
        try (ArtifactStore store = open(null, "plain.txt")) {
            assertThatThrownBy(() -> store.extractInput("src", temp.resolve("t")))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageStartingWith("input artifact 'src' is not a zip archive")
                    .extracting(e -> ((JobFailureException) e).type()).isEqualTo(FailureType.JOB_FAILED);
        }
    }

    @Test
    void aMaliciousInputIsRefusedAndNothingLandsOutsideTheTarget() throws IOException {
        put("evil.zip", zip("../escaped.txt"));
        Path target = temp.resolve("work/target");
        try (ArtifactStore store = open(null, "evil.zip")) {
            assertThatThrownBy(() -> store.extractInput("src", target))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageContaining("escapes the target directory");
        }
        try (Stream<Path> work = Files.list(temp.resolve("work"))) {
            assertThat(work).containsExactly(target);
        }
    }

    @Test
    void theFactorysZipLimitsApplyToExtraction() throws IOException {
        put("three.zip", zip("a", "b", "c"));
        S3ArtifactStoreFactory strict = S3MockServer.storeFactory()
                .zipLimits(ZipLimits.defaults().withMaxEntries(2).withMaxTotalUncompressedBytes(1 << 20)
                        .withMaxCompressionRatio(100))
                .build();
        try (strict; ArtifactStore store = strict.open(Jobs.access(BUCKET, prefix + "three.zip", prefix + "out",
                null, Jobs.credentials("AKIDTEST"), Jobs.NO_REFRESH))) {
            assertThat(store.zipLimits()).isEqualTo(new ZipLimits(2, 1 << 20, 100));
            assertThatThrownBy(() -> store.extractInput("src", temp.resolve("t")))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageContaining("more than 2 entries");
        }
    }

    @Test
    void anUnknownArtifactNameIsAConfigurationError() throws IOException {
        try (ArtifactStore store = open(null)) {
            assertThatThrownBy(() -> store.openInput("nope"))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessage("Job job-1 has no input artifact named 'nope' (its input artifacts: 'src')")
                    .extracting(e -> ((JobFailureException) e).type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
            assertThatThrownBy(() -> store.writeOutput("src", bytes("x"), 1))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageContaining("no output artifact named 'src'")
                    .extracting(e -> ((JobFailureException) e).type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
        }
    }

    private ArtifactStore open(EncryptionKey key) {
        return open(key, "in.zip");
    }

    private ArtifactStore open(EncryptionKey key, String inputName) {
        return factory.open(Jobs.access(BUCKET, prefix + inputName, prefix + "out.bin", key,
                Jobs.credentials("AKIDTEST"), Jobs.NO_REFRESH));
    }

    private HeadObjectResponse head(String name) {
        return verifier.headObject(b -> b.bucket(BUCKET).key(prefix + name));
    }

    private String read(String name) {
        return verifier.getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + name)).asUtf8String();
    }

    private void put(String name, byte[] content) {
        verifier.putObject(b -> b.bucket(BUCKET).key(prefix + name), RequestBody.fromBytes(content));
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Path randomFile(Path file, long size) throws IOException {
        byte[] content = new byte[(int) size];
        new Random(size).nextBytes(content);
        return Files.write(file, content);
    }

    private static byte[] zip(String... names) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            for (String name : names) {
                out.putArchiveEntry(new ZipArchiveEntry(name));
                out.write(name.getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A read that may throw, so the same assertions run over every way to read an input. */
    @FunctionalInterface
    private interface ThrowingRead {
        Object run() throws IOException;
    }
}
