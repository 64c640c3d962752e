package dev.pipelineworker.s3;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pipelineworker.ArtifactAccess.CredentialsRefresher;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.internal.archive.ZipCentralDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;

/**
 * The one-pass extraction against servers that answer ranges in the ways S3Mock does not: not at all,
 * after an expired-credentials refresh, or with a changed object. Each ends with the archive's files.
 */
class OnePassExtractionWireMockTest {

    private static final String IN = "/artifacts/in.zip";
    private static final String TAIL = "bytes=-" + ZipCentralDirectory.TAIL_BYTES;
    private static final String ETAG = "\"v1\"";

    private static WireMockServer wireMock;
    private static S3ArtifactStoreFactory factory;

    @TempDir
    Path temp;

    private byte[] zip;

    @BeforeAll
    static void start() {
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
        factory = S3ArtifactStoreFactory.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://localhost:" + wireMock.port()))
                .forcePathStyle(true)
                .build();
    }

    @AfterAll
    static void stop() {
        factory.close();
        wireMock.stop();
    }

    @BeforeEach
    void reset() throws IOException {
        wireMock.resetAll();
        Path file = temp.resolve("in.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(file)) {
            for (String name : List.of("a.txt", "dir/b.txt")) {
                out.putArchiveEntry(new ZipArchiveEntry(name));
                out.write(name.getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        zip = Files.readAllBytes(file);
    }

    @Test
    void aServerThatIgnoresRangesGetsTheFileBasedPath() throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).willReturn(aResponse().withStatus(200).withBody(zip)));

        Path target = temp.resolve("t");
        try (ExtractionLog log = new ExtractionLog(); ArtifactStore store = open("AKIDTEST", Jobs.NO_REFRESH)) {
            store.extractInput("src", target);
            assertThat(log.messages()).containsExactly("Input artifact 'src' " + ExtractionLog.FALLBACK
                    + "the server does not honour ranges");
        }
        assertExtracted(target);
        List<LoggedRequest> requests = wireMock.findAll(getRequestedFor(urlPathEqualTo(IN)));
        assertThat(requests).extracting(r -> r.getHeader("Range")).containsExactly(TAIL, null);
    }

    @Test
    void expiredCredentialsAreRefreshedForTheRangedReads() throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Authorization", containing("Credential=AKIDOLD/"))
                .willReturn(aResponse().withStatus(400).withBody("<Error><Code>ExpiredToken</Code></Error>")));
        stubRanges("AKIDNEW");
        AtomicInteger refreshes = new AtomicInteger();

        Path target = temp.resolve("t");
        try (ExtractionLog log = new ExtractionLog(); ArtifactStore store = open("AKIDOLD", () -> {
            refreshes.incrementAndGet();
            return Jobs.credentials("AKIDNEW");
        })) {
            store.extractInput("src", target);
            assertThat(log.messages()).containsExactly("Extracted input artifact 'src' in one pass (2 entries)");
        }
        assertExtracted(target);
        assertThat(refreshes).hasValue(1);
        List<LoggedRequest> requests = wireMock.findAll(getRequestedFor(urlPathEqualTo(IN)));
        assertThat(requests).extracting(r -> r.getHeader("Range"))
                .containsExactly(TAIL, TAIL, "bytes=0-" + (directoryStart() - 1));
        assertThat(requests.get(2).getHeader("If-Match")).isEqualTo(ETAG);
    }

    @Test
    void anObjectThatChangesBetweenReadsGetsTheFileBasedPath() throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(TAIL))
                .willReturn(partial(0, zip.length - 1)));
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", containing("bytes=0-"))
                .willReturn(aResponse().withStatus(412).withBody("<Error><Code>PreconditionFailed</Code></Error>")));

        assertFallsBackAndExtracts("it changed between reads");
    }

    @Test
    void aRangeAnsweredWithTooFewBytesGetsTheFileBasedPath() throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(TAIL))
                .willReturn(aResponse().withStatus(206).withHeader("ETag", ETAG)
                        .withHeader("Content-Range", "bytes 0-" + zip.length + "/" + (zip.length + 1))
                        .withBody(zip)));

        assertFallsBackAndExtracts("a ranged answer's body is not as long as its Content-Range");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 206})
    void anAnswerThatIsNotAPartialOneGetsTheFileBasedPath(int status) throws IOException {
        ResponseDefinitionBuilder answer = aResponse().withStatus(status).withBody(zip);
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(TAIL))
                .willReturn(status == 200 ? answer.withHeader("Content-Range", "bytes 0-" + (zip.length - 1) + "/"
                        + zip.length) : answer));

        assertFallsBackAndExtracts("the server does not honour ranges");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes */1234", "bytes 0-9", "items 0-9/10"})
    void aPartialAnswerWithAContentRangeOfAnotherFormGetsTheFileBasedPath(String contentRange) throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(TAIL))
                .willReturn(aResponse().withStatus(206).withHeader("ETag", ETAG)
                        .withHeader("Content-Range", contentRange).withBody(zip)));

        assertFallsBackAndExtracts("the server does not honour ranges");
    }

    @Test
    void aRangeLongerThanTheBoundGetsTheFileBasedPath() throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(TAIL))
                .willReturn(aResponse().withStatus(206).withHeader("Content-Range", "bytes 0-99999999/100000000")
                        .withBody(zip)));

        assertFallsBackAndExtracts("the server answered a range with other bytes");
    }

    @Test
    void anObjectThatIsNotAZipGetsTheFileBasedPathAndIsRefused() {
        zip = "certainly not a zip".getBytes(StandardCharsets.UTF_8);
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(TAIL))
                .willReturn(partial(0, zip.length - 1)));

        assertThatThrownBy(() -> assertFallsBack("its end holds no central directory that can be read (IOException)"))
                .isInstanceOf(JobFailureException.class)
                .hasMessageStartingWith("input artifact 'src' is not a zip archive");
    }

    @Test
    void anEmptyZipNeedsNoReadOfItsBody() throws IOException {
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        new ZipArchiveOutputStream(empty).close();
        zip = empty.toByteArray();
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(TAIL))
                .willReturn(partial(0, zip.length - 1)));

        Path target = temp.resolve("t");
        try (ExtractionLog log = new ExtractionLog(); ArtifactStore store = open("AKIDTEST", Jobs.NO_REFRESH)) {
            store.extractInput("src", target);
            assertThat(log.messages()).containsExactly("Extracted input artifact 'src' in one pass (0 entries)");
        }
        assertThat(target).isEmptyDirectory();
        assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo(IN)))).hasSize(1);
    }

    @Test
    void aDirectoryLongerThanTheTailIsReadWithASecondRangeOfTheSameVersion() throws IOException {
        int tailStart = longZip();
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(TAIL))
                .willReturn(partial(tailStart, zip.length - 1)));
        String directoryRange = "bytes=" + directoryStart() + "-" + (tailStart - 1);
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(directoryRange))
                .withHeader("If-Match", equalTo(ETAG)).willReturn(partial(directoryStart(), tailStart - 1)));
        String body = "bytes=0-" + (directoryStart() - 1);
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(body))
                .withHeader("If-Match", equalTo(ETAG)).willReturn(partial(0, directoryStart() - 1)));

        Path target = temp.resolve("t");
        try (ExtractionLog log = new ExtractionLog(); ArtifactStore store = open("AKIDTEST", Jobs.NO_REFRESH)) {
            store.extractInput("src", target);
            assertThat(log.messages()).containsExactly("Extracted input artifact 'src' in one pass (1500 entries)");
        }
        assertThat(target.resolve("entry-1499")).hasContent("1499");
        assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo(IN)))).extracting(r -> r.getHeader("Range"))
                .containsExactly(TAIL, directoryRange, body);
    }

    @ParameterizedTest
    @CsvSource({"1, 0", "0, -1"})
    void aSecondRangeAnsweredWithOtherBytesGetsTheFileBasedPath(int startShift, int endShift) throws IOException {
        int tailStart = longZip();
        stubDirectoryRange(tailStart, partial(directoryStart() + startShift, tailStart - 1 + endShift));

        Path target = assertFallsBack("the server answered a range of its central directory with other bytes");
        assertThat(target.resolve("entry-1499")).hasContent("1499");
    }

    @Test
    void aSecondRangeAnsweredWithTheWholeObjectGetsTheFileBasedPath() throws IOException {
        stubDirectoryRange(longZip(), aResponse().withStatus(200).withHeader("ETag", ETAG).withBody(zip));

        Path target = assertFallsBack("the server answered a range of its central directory with other bytes");
        assertThat(target.resolve("entry-1499")).hasContent("1499");
    }

    @Test
    void aSecondRangeWithTooFewBytesGetsTheFileBasedPath() throws IOException {
        int tailStart = longZip();
        stubDirectoryRange(tailStart, aResponse().withStatus(206).withHeader("ETag", ETAG)
                .withHeader("Content-Range", "bytes " + directoryStart() + "-" + (tailStart - 1) + "/" + zip.length)
                .withBody(Arrays.copyOfRange(zip, directoryStart(), tailStart - 1)));

        Path target = assertFallsBack("a ranged answer's body is not as long as its Content-Range");
        assertThat(target.resolve("entry-1499")).hasContent("1499");
    }

    /** The tail of {@link #longZip()} from {@code tailStart} as it is, the rest of its directory by {@code answer}. */
    private void stubDirectoryRange(int tailStart, ResponseDefinitionBuilder answer) {
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo(TAIL))
                .willReturn(partial(tailStart, zip.length - 1)));
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", equalTo("bytes=" + directoryStart() + "-"
                + (tailStart - 1))).willReturn(answer));
    }

    /** Makes {@link #zip} one whose central directory is longer than the tail, and answers where the tail starts. */
    private int longZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            for (int i = 0; i < 1500; i++) {
                out.putArchiveEntry(new ZipArchiveEntry(i == 1499 ? "entry-1499" : "entry-" + "n".repeat(90) + i));
                out.write(String.valueOf(i).getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        zip = bytes.toByteArray();
        assertThat(zip.length - directoryStart()).isGreaterThan(ZipCentralDirectory.TAIL_BYTES);
        return zip.length - ZipCentralDirectory.TAIL_BYTES;
    }

    private void assertFallsBackAndExtracts(String reason) throws IOException {
        assertExtracted(assertFallsBack(reason));
    }

    /** The fallback downloads the whole object (a GET without Range) and extracts the file. */
    private Path assertFallsBack(String reason) throws IOException {
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Range", absent())
                .willReturn(aResponse().withStatus(200).withBody(zip)));
        Path target = temp.resolve("t");
        try (ExtractionLog log = new ExtractionLog(); ArtifactStore store = open("AKIDTEST", Jobs.NO_REFRESH)) {
            try {
                store.extractInput("src", target);
            } finally {
                assertThat(log.messages()).containsExactly("Input artifact 'src' " + ExtractionLog.FALLBACK + reason);
            }
        }
        return target;
    }

    private void stubRanges(String accessKeyId) {
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Authorization", containing("Credential=" + accessKeyId))
                .withHeader("Range", equalTo(TAIL)).willReturn(partial(0, zip.length - 1)));
        wireMock.stubFor(get(urlPathEqualTo(IN)).withHeader("Authorization", containing("Credential=" + accessKeyId))
                .withHeader("Range", equalTo("bytes=0-" + (directoryStart() - 1))).withHeader("If-Match", equalTo(ETAG))
                .willReturn(partial(0, directoryStart() - 1)));
    }

    private ResponseDefinitionBuilder partial(int first, int last) {
        return aResponse().withStatus(206).withHeader("ETag", ETAG)
                .withHeader("Content-Range", "bytes " + first + "-" + last + "/" + zip.length)
                .withBody(Arrays.copyOfRange(zip, first, last + 1));
    }

    /** The central directory's offset, from the end-of-central-directory record (the zip has no comment). */
    private int directoryStart() {
        return ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).getInt(zip.length - 22 + 16);
    }

    private static void assertExtracted(Path target) {
        assertThat(target.resolve("a.txt")).hasContent("a.txt");
        assertThat(target.resolve("dir/b.txt")).hasContent("dir/b.txt");
    }

    private ArtifactStore open(String accessKeyId, CredentialsRefresher refresher) {
        return factory.open(Jobs.access("artifacts", "in.zip", "out.zip", null, Jobs.credentials(accessKeyId),
                refresher));
    }
}
