package dev.pipelineworker.s3;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.pipelineworker.s3.WireMockS3.KEY_ARN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level faults during a streamed multipart upload: every failure aborts the upload and throws. */
class StreamingUploadWireMockTest {

    private static final String OUT = "/artifacts/out.zip";
    private static final int MIB = 1 << 20;
    private static final int MAX_ATTEMPTS = WireMockS3.MAX_ATTEMPTS;

    private static WireMockServer wireMock;
    private static S3ArtifactStoreFactory factory;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
        factory = WireMockS3.factory(wireMock).partsInFlight(1).build();
    }

    @AfterAll
    static void stop() {
        factory.close();
        wireMock.stop();
    }

    @BeforeEach
    void reset() {
        wireMock.resetAll();
        stubMultipart();
    }

    @Test
    void aStreamIsSentInPartsWithSseKmsOnCreateAndTheirETagsInOrderOnComplete() throws IOException {
        try (ArtifactStore store = open(EncryptionKey.kms(KEY_ARN), Jobs.NO_REFRESH)) {
            store.writeOutput("out", new ByteArrayInputStream(new byte[11 * MIB]), -1);
        }

        wireMock.verify(1, postRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploads", matching(".*"))
                .withHeader("x-amz-server-side-encryption", equalTo("aws:kms"))
                .withHeader("x-amz-server-side-encryption-aws-kms-key-id", equalTo(KEY_ARN)));
        List<LoggedRequest> parts = wireMock.findAll(putRequestedFor(urlPathEqualTo(OUT)));
        assertThat(parts).extracting(r -> r.queryParameter("partNumber").firstValue()).containsExactly("1", "2", "3");
        assertThat(parts).allSatisfy(r -> assertThat(r.getHeader("x-amz-server-side-encryption")).isNull());
        String complete = wireMock.findAll(postRequestedFor(urlPathEqualTo(OUT))
                .withQueryParam("uploadId", equalTo("upload-1"))).get(0).getBodyAsString();
        assertThat(complete).containsSubsequence("<ETag>&quot;p1&quot;</ETag>", "<PartNumber>1</PartNumber>",
                "<ETag>&quot;p2&quot;</ETag>", "<PartNumber>2</PartNumber>", "<ETag>&quot;p3&quot;</ETag>", "<PartNumber>3</PartNumber>");
        wireMock.verify(0, deleteRequestedFor(urlPathEqualTo(OUT)));
    }

    @Test
    void aFailingPartAbortsTheUploadAndThrows() throws IOException {
        wireMock.stubFor(put(urlPathEqualTo(OUT)).withQueryParam("partNumber", equalTo("2"))
                .willReturn(error(403, "AccessDenied")));

        try (ArtifactStore store = open(null, Jobs.NO_REFRESH)) {
            assertThatThrownBy(() -> store.writeOutput("out", new ByteArrayInputStream(new byte[16 * MIB]), -1))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessageContaining("output artifact 'out'")
                    .satisfies(e -> assertThat(((JobFailureException) e).type()).isEqualTo(FailureType.PERMISSION_ERROR));
        }

        wireMock.verify(1, deleteRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1")));
        wireMock.verify(0, postRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1")));
    }

    @Test
    void aPartRefusedForExpiredCredentialsIsSentAgainAfterOneRefresh() throws IOException {
        wireMock.stubFor(put(urlPathEqualTo(OUT)).withQueryParam("partNumber", equalTo("2"))
                .withHeader("Authorization", containing("Credential=AKIDOLD/"))
                .willReturn(error(400, "ExpiredToken")));
        AtomicInteger refreshes = new AtomicInteger();
        byte[] content = new byte[11 * MIB];
        new Random(2).nextBytes(content);

        try (ArtifactStore store = open(null, () -> {
            refreshes.incrementAndGet();
            return Jobs.credentials("AKIDNEW");
        })) {
            store.writeOutput("out", new ByteArrayInputStream(content), content.length);
        }

        assertThat(refreshes).hasValue(1);
        List<LoggedRequest> second = wireMock.findAll(putRequestedFor(urlPathEqualTo(OUT))
                .withQueryParam("partNumber", equalTo("2")));
        assertThat(second).hasSize(2);
        assertThat(second.get(1).getHeader("Authorization")).contains("Credential=AKIDNEW/");
        assertThat(second.get(1).getBody()).isEqualTo(second.get(0).getBody());
        wireMock.verify(1, postRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1")));
        wireMock.verify(0, deleteRequestedFor(urlPathEqualTo(OUT)));
    }

    @Test
    void aFailingCompleteAbortsTheUploadAndThrows() throws IOException {
        wireMock.stubFor(post(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1"))
                .willReturn(error(500, "InternalError")));

        try (ArtifactStore store = open(null, Jobs.NO_REFRESH)) {
            assertThatThrownBy(() -> store.writeOutput("out", new ByteArrayInputStream(new byte[6 * MIB]), -1))
                    .isInstanceOf(JobFailureException.class)
                    .satisfies(e -> assertThat(((JobFailureException) e).type())
                            .isEqualTo(FailureType.SYSTEM_UNAVAILABLE));
        }

        wireMock.verify(MAX_ATTEMPTS, postRequestedFor(urlPathEqualTo(OUT))
                .withQueryParam("uploadId", equalTo("upload-1")));
        wireMock.verify(1, deleteRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1")));
    }

    @Test
    void anInterruptWhilePartsAreInFlightAbortsTheUpload() throws Exception {
        wireMock.stubFor(put(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1"))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"slow\"").withFixedDelay(10_000)));
        Path tree = Files.createDirectories(temp.resolve("tree"));
        byte[] content = new byte[12 * MIB];
        new Random(3).nextBytes(content);
        Files.write(tree.resolve("data.bin"), content);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();

        try (ArtifactStore store = open(null, Jobs.NO_REFRESH)) {
            Thread writer = new Thread(() -> {
                try {
                    store.writeOutputZip("out", tree);
                } catch (IOException | RuntimeException e) {
                    failure.set(e);
                }
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
            writer.start();
            await("a part in flight").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !wireMock.findAll(putRequestedFor(urlPathEqualTo(OUT))).isEmpty());
            writer.interrupt();
            writer.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertThat(failure.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(stillInterrupted.get()).isTrue();
        wireMock.verify(1, deleteRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1")));
        wireMock.verify(0, postRequestedFor(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1")));
    }

    /** The shared stubs, with an ETag of its own for each part (the latest stub matching wins in WireMock). */
    private static void stubMultipart() {
        WireMockS3.stubMultipart(wireMock, OUT, aResponse().withStatus(200).withHeader("ETag", "\"any\""));
        for (int part = 1; part <= 4; part++) {
            wireMock.stubFor(put(urlPathEqualTo(OUT)).withQueryParam("uploadId", equalTo("upload-1"))
                    .withQueryParam("partNumber", equalTo(String.valueOf(part)))
                    .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"p" + part + "\"")));
        }
    }

    private static ResponseDefinitionBuilder error(int status, String code) {
        return WireMockS3.error(status, code);
    }

    private ArtifactStore open(EncryptionKey key, dev.pipelineworker.ArtifactAccess.CredentialsRefresher refresher) {
        return factory.open(Jobs.access("artifacts", "in.zip", "out.zip", key, Jobs.credentials("AKIDOLD"),
                refresher));
    }
}
