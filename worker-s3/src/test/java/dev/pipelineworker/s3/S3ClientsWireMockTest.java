package dev.pipelineworker.s3;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactAccess;
import dev.pipelineworker.ArtifactStore;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.S3Location;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Which region each job's requests are signed for (the job's, the factory's, the SDK's chain), and whose HTTP client
 * they use: the factory's own, whose threads it ends on close, or the user's, which it leaves open.
 */
class S3ClientsWireMockTest {

    private static final String IN = "/artifacts/in.zip";
    /** The SDK's region chain reads these first: the region, the profile files, instance metadata. */
    private static final List<String> REGION_PROPERTIES = List.of("aws.region", "aws.configFile",
            "aws.sharedCredentialsFile", "aws.disableEc2Metadata");

    private static WireMockServer wireMock;

    @TempDir
    Path temp;

    private final Map<String, String> savedProperties = new HashMap<>();

    @BeforeAll
    static void start() {
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
    }

    @BeforeEach
    void reset() {
        wireMock.resetAll();
        wireMock.stubFor(get(urlPathEqualTo(IN)).willReturn(aResponse().withStatus(200).withBody("content")));
        REGION_PROPERTIES.forEach(name -> savedProperties.put(name, System.getProperty(name)));
    }

    @AfterEach
    void restoreProperties() {
        savedProperties.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @Test
    void aJobsRequestsAreSignedForTheJobsRegionElseForTheFactorys() throws IOException {
        try (S3ArtifactStoreFactory factory = factory().region(Region.EU_WEST_1).build()) {
            read(factory, Region.AP_SOUTHEAST_2);
            read(factory, null);
        }

        assertThat(signingRegions()).containsExactly("ap-southeast-2", "eu-west-1");
    }

    @Test
    void withoutAConfiguredRegionTheSdksChainIsAskedOnce() throws IOException {
        System.setProperty("aws.region", "sa-east-1");

        try (S3ArtifactStoreFactory factory = factory().build()) {
            read(factory, null);
            System.setProperty("aws.region", "ca-central-1");
            read(factory, null);
        }

        assertThat(signingRegions()).containsExactly("sa-east-1", "sa-east-1");
    }

    @Test
    void noRegionAnywhereIsAConfigurationErrorSayingHowToSetOne() throws IOException {
        System.clearProperty("aws.region");
        System.setProperty("aws.configFile", Files.createFile(temp.resolve("config")).toString());
        System.setProperty("aws.sharedCredentialsFile", Files.createFile(temp.resolve("credentials")).toString());
        System.setProperty("aws.disableEc2Metadata", "true");
        assertThat(System.getenv("AWS_REGION")).as("the test needs AWS_REGION unset").isNull();

        try (S3ArtifactStoreFactory factory = factory().build()) {
            assertThatThrownBy(() -> read(factory, null))
                    .isInstanceOf(JobFailureException.class)
                    .hasMessage("No AWS region for the artifact store: set AWS_REGION or "
                            + "S3ArtifactStoreFactory.builder().region(...)")
                    .satisfies(e -> assertThat(((JobFailureException) e).type())
                            .isEqualTo(FailureType.CONFIGURATION_ERROR));
            assertThat(read(factory, Region.EU_CENTRAL_1)).as("a job that knows its region still works")
                    .isEqualTo("content");
        }
    }

    @Test
    void theFactorysOwnHttpClientRunsOnDaemonThreadsThatEndOnClose() throws IOException {
        try (S3ArtifactStoreFactory factory = factory().region(Region.EU_WEST_1).build()) {
            read(factory, null);

            assertThat(eventLoopThreads()).isNotEmpty().allSatisfy(thread -> assertThat(thread.isDaemon()).isTrue());
        }
    }

    @Test
    void aUsersHttpClientIsUsedAndLeftOpenWhenTheFactoryCloses() throws IOException {
        try (CountingHttpClient http = new CountingHttpClient(NettyNioAsyncHttpClient.builder().build())) {
            long ownThreadsBefore = eventLoopThreads().size();
            S3ArtifactStoreFactory factory = factory().region(Region.EU_WEST_1).httpClient(http).build();
            read(factory, null);
            assertThat(eventLoopThreads()).as("the factory made no event loop of its own")
                    .hasSize((int) ownThreadsBefore);
            factory.close();

            S3ArtifactStoreFactory second = factory().region(Region.EU_WEST_1).httpClient(http).build();
            assertThat(read(second, null)).as("the user's client still works").isEqualTo("content");
            second.close();

            assertThat(http.requests).as("requests sent through the user's client").hasValue(2);
            assertThat(http.closes).as("closes of the user's client by the factories").hasValue(0);
        }
        assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo(IN)))).hasSize(2);
    }

    private static S3ArtifactStoreFactory.Builder factory() {
        return S3ArtifactStoreFactory.builder()
                .endpointOverride(URI.create("http://localhost:" + wireMock.port()))
                .forcePathStyle(true);
    }

    private static String read(S3ArtifactStoreFactory factory, Region jobRegion) throws IOException {
        ArtifactAccess access = ArtifactAccess.builder("job-1")
                .inputArtifacts(List.of(Artifact.of("src", S3Location.of("artifacts", "in.zip"))))
                .credentials(Jobs.credentials("AKIDREGION"))
                .refresher(Jobs.NO_REFRESH)
                .region(jobRegion)
                .build();
        try (ArtifactStore store = factory.open(access); InputStream in = store.openInput("src")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The region in each request's SigV4 scope: Credential=AKID/date/region/s3/aws4_request. */
    private static List<String> signingRegions() {
        return wireMock.findAll(getRequestedFor(urlPathEqualTo(IN))).stream()
                .map(r -> r.getHeader("Authorization").replaceFirst(".*Credential=[^/]+/[^/]+/([^/]+)/s3/.*", "$1"))
                .toList();
    }

    private static List<Thread> eventLoopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("pipeline-worker-s3-")).toList();
    }

    /** A user's HTTP client: a real Netty client, counting the requests the factory sends through it and its closes. */
    private static final class CountingHttpClient implements SdkAsyncHttpClient {
        private final SdkAsyncHttpClient delegate;
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicInteger closes = new AtomicInteger();

        CountingHttpClient(SdkAsyncHttpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
            requests.incrementAndGet();
            return delegate.execute(request);
        }

        @Override
        public String clientName() {
            return delegate.clientName();
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            delegate.close();
        }
    }
}
