package dev.pipelineworker.s3.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.S3Location;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * A {@link StreamingUpload} on its own, against WireMock through a job's real write client: what the byte-wise
 * write sends, the part size it chose, and what a closed upload refuses. The multipart paths, the aborts and the
 * retries are tested through the store (StreamingUploadWireMockTest, StreamingUploadS3MockTest).
 */
class StreamingUploadTest {

    private static final long MIB = 1 << 20;
    private static final String OUT = "/artifacts/out.bin";
    private static final Artifact ARTIFACT = Artifact.of("out", S3Location.of("artifacts", "out.bin"));

    private static final JobCredentialsProvider CREDENTIALS = new JobCredentialsProvider("job-1",
            ArtifactCredentials.of("AKIDUPLOAD", "secret", null), () -> {
                throw new AssertionError("credentials refreshed unexpectedly");
            });

    private static WireMockServer wireMock;
    private static S3Clients clients;
    private static JobClients s3;

    @BeforeAll
    static void start() {
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
        clients = new S3Clients(S3StoreSettings.defaults().withRegion(Region.EU_WEST_1)
                .withEndpointOverride(URI.create("http://localhost:" + wireMock.port())).withForcePathStyle(true));
        s3 = clients.forJob(CREDENTIALS, null);
    }

    @AfterAll
    static void stop() {
        s3.close();
        clients.close();
        wireMock.stop();
    }

    @BeforeEach
    void reset() {
        wireMock.resetAll();
        wireMock.stubFor(put(urlPathEqualTo(OUT)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e\"")));
    }

    @Test
    void bytesWrittenOneByOneAreOnePutOfExactlyThoseBytes() throws IOException {
        try (StreamingUpload upload = upload(-1)) {
            for (byte b : "single".getBytes()) {
                upload.write(b);
            }
            upload.write(0x1ff);
            upload.complete();
        }

        List<LoggedRequest> puts = wireMock.findAll(putRequestedFor(urlPathEqualTo(OUT)));
        assertThat(puts).hasSize(1);
        assertThat(content(puts.get(0))).isEqualTo(new byte[] {'s', 'i', 'n', 'g', 'l', 'e', (byte) 0xff});
        assertThat(puts.get(0).getHeader("x-amz-decoded-content-length")).isEqualTo("7");
        assertThat(puts.get(0).getHeader("x-amz-server-side-encryption")).isEqualTo("aws:kms");
    }

    @Test
    void theUploadUsesThePartSizeItsSizeBoundNeeds() {
        assertThat(upload(-1).partSize()).isEqualTo(8 * MIB);
        assertThat(upload(10_000 * 8 * MIB + 1).partSize()).isEqualTo(9 * MIB);
    }

    @Test
    void aCompletedUploadRefusesMoreBytesAndClosingItSendsNothingMore() throws IOException {
        StreamingUpload upload = upload(-1);
        upload.write(new byte[] {1, 2, 3}, 0, 3);
        upload.complete();
        upload.close();

        assertThatThrownBy(() -> upload.write(4)).isInstanceOf(IOException.class)
                .hasMessage("the upload of output artifact 'out' is closed");
        assertThatThrownBy(upload::complete).isInstanceOf(IOException.class);
        assertThat(wireMock.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }

    @Test
    void anUploadClosedBeforeItsFirstPartFilledSendsNothing() throws IOException {
        StreamingUpload upload = upload(-1);
        upload.write(new byte[1000], 0, 1000);
        upload.close();

        assertThatThrownBy(() -> upload.write(1)).isInstanceOf(IOException.class);
        assertThat(wireMock.findAll(anyRequestedFor(anyUrl()))).as("no PutObject, and no abort of an upload "
                + "that was never created (an abort without an upload id would be a DeleteObject)").isEmpty();
    }

    @Test
    void writesOutsideTheArrayAreRefusedBeforeAnythingIsBuffered() throws IOException {
        try (StreamingUpload upload = upload(-1)) {
            assertThatThrownBy(() -> upload.write(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            upload.write(new byte[] {9}, 0, 1);
            upload.complete();
        }

        assertThat(content(wireMock.findAll(putRequestedFor(urlPathEqualTo(OUT))).get(0))).isEqualTo(new byte[] {9});
    }

    @Test
    void atLeastOnePartMustBeAllowedInFlight() {
        assertThatThrownBy(() -> new StreamingUpload(s3.writes(), calls(), ARTIFACT, requests(), 8 * MIB, 8 * MIB, 0,
                -1)).isInstanceOf(IllegalArgumentException.class).hasMessage("partsInFlight must be positive, got 0");
    }

    /** The object's bytes in a request body the SDK sent aws-chunked (each chunk's hex size, CRLF, its bytes, CRLF). */
    private static byte[] content(LoggedRequest request) {
        byte[] body = request.getBody();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = at;
            while (body[lineEnd] != '\r') {
                lineEnd++;
            }
            String sizeLine = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(sizeLine.split(";")[0], 16);
            if (size == 0) {
                return content.toByteArray();
            }
            content.write(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static StreamingUpload upload(long sizeBound) {
        return new StreamingUpload(s3.writes(), calls(), ARTIFACT, requests(), 8 * MIB, 8 * MIB, 1, sizeBound);
    }

    private static S3Calls calls() {
        return new S3Calls("job-1", CREDENTIALS);
    }

    private static UploadRequests requests() {
        return UploadRequests.of(ARTIFACT, null);
    }
}
