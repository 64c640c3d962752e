package dev.pipelineworker.reliability.secrets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.Backoff;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobWorker;
import dev.pipelineworker.OutcomeJournal;
import dev.pipelineworker.ZipLimits;
import dev.pipelineworker.reliability.support.CopyHandler;
import dev.pipelineworker.reliability.support.S3Mock;
import dev.pipelineworker.reliability.support.Zips;
import dev.pipelineworker.s3.S3ArtifactStoreFactory;
import dev.pipelineworker.testkit.LocalCodePipeline;
import dev.pipelineworker.testkit.SigV4Scope;
import dev.pipelineworker.testkit.emulator.JobInfo;
import dev.pipelineworker.testkit.emulator.JobSpec;
import dev.pipelineworker.testkit.emulator.RecordedResult;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * Several jobs run at the same moment, in three regions served by one worker, each with artifact credentials
 * of its own, against S3Mock behind a WireMock proxy that records what S3 received. Every S3 request for a
 * job's objects must be signed with that job's access key id for that job's region
 * ({@code Credential=<AKID>/<date>/<region>/s3/...} in the Authorization header) and carry that job's session
 * token, never another job's.
 */
class CredentialIsolationTest {

    static final ActionTypeId TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Isolation", "1");
    static final int JOBS = 6;
    static final Pattern CREDENTIAL = Pattern.compile("Credential=([A-Z0-9]+)/");
    static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");

    @RegisterExtension
    static WireMockExtension s3Proxy = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @Test
    void eachConcurrentJobSignsItsS3RequestsWithItsOwnCredentialsOnly() throws Exception {
        s3Proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(S3Mock.endpoint().toString())));
        String prefix = "isolation/" + UUID.randomUUID() + "/";
        CyclicBarrier allRunning = new CyclicBarrier(JOBS);
        CopyHandler copy = new CopyHandler();
        JobHandler together = ctx -> {
            allRunning.await(20, TimeUnit.SECONDS); // all jobs are in flight at once, so their clients coexist
            return copy.handle(ctx);
        };
        Map<String, ArtifactCredentials> byJobFolder = new HashMap<>();
        Map<String, String> regionOfFolder = new HashMap<>();
        List<CodePipelineClient> clients = new ArrayList<>();
        try (LocalCodePipeline cp = LocalCodePipeline.builder().actionType(TYPE).start();
             S3ArtifactStoreFactory stores = S3Mock.factory(URI.create(s3Proxy.baseUrl()), ZipLimits.defaults());
             JobWorker worker = JobWorker.builder(TYPE, together).regions(REGIONS.toArray(String[]::new))
                     .codePipelineClients(region -> {
                         CodePipelineClient client = CodePipelineClient.builder().endpointOverride(cp.endpoint())
                                 .region(region)
                                 .credentialsProvider(StaticCredentialsProvider.create(
                                         AwsBasicCredentials.create("AKIAWORKERSOWNKEY", "worker-secret")))
                                 .build();
                         clients.add(client);
                         return client;
                     })
                     .clientTokens(cp::clientToken).artifactStoreFactory(stores)
                     .outcomeJournal(OutcomeJournal.disabled()).maxConcurrentJobs(JOBS)
                     .idleBackoff(Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(100)))
                     .build()) {
            List<JobInfo> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                String folder = prefix + "job-" + i + "/";
                ArtifactCredentials credentials = new ArtifactCredentials("ASIAJOB" + i + "X" + random(12),
                        "secret-" + UUID.randomUUID(), "token-" + i + "-" + UUID.randomUUID());
                byJobFolder.put(folder, credentials);
                String region = REGIONS.get(i % REGIONS.size());
                regionOfFolder.put(folder, region);
                S3Mock.put(folder + "in.zip", Zips.zipText("job-" + i + ".txt", "input of job " + i));
                jobs.add(cp.enqueue(JobSpec.builder(TYPE).configuration("Target", "prod").region(region)
                        .artifactCredentials(credentials)
                        .inputArtifact("Src", S3Mock.BUCKET, folder + "in.zip")
                        .outputArtifact("Out", S3Mock.BUCKET, folder + "out.zip").build()));
            }
            worker.start();
            for (int i = 0; i < JOBS; i++) {
                assertThat(cp.awaitResult(jobs.get(i).jobId(), Duration.ofSeconds(30)))
                        .isInstanceOf(RecordedResult.Success.class);
                assertThat(Zips.unzipTexts(S3Mock.get(prefix + "job-" + i + "/out.zip")))
                        .containsEntry("job-" + i + ".txt", "input of job " + i);
            }
        } finally {
            clients.forEach(CodePipelineClient::close);
        }

        Map<String, Integer> requestsPerJob = new HashMap<>();
        int checked = 0;
        for (ServeEvent event : s3Proxy.getAllServeEvents()) {
            String path = event.getRequest().getUrl();
            String folder = byJobFolder.keySet().stream().filter(f -> path.contains("/" + f)).findFirst()
                    .orElseThrow(() -> new AssertionError("an S3 request for no job's object: " + path));
            ArtifactCredentials expected = byJobFolder.get(folder);
            Matcher credential = CREDENTIAL.matcher(event.getRequest().getHeader("Authorization"));
            assertThat(credential.find()).as("SigV4 Authorization on %s", path).isTrue();
            assertThat(credential.group(1)).as("access key id signing %s %s", event.getRequest().getMethod(), path)
                    .isEqualTo(expected.accessKeyId());
            assertThat(event.getRequest().getHeader("x-amz-security-token")).as("session token on %s", path)
                    .isEqualTo(expected.sessionToken());
            assertThat(SigV4Scope.fromAuthorization(event.getRequest().getHeader("Authorization")))
                    .as("the region signing %s", path).hasValueSatisfying(
                            scope -> assertThat(scope.region()).isEqualTo(regionOfFolder.get(folder)));
            requestsPerJob.merge(folder, 1, Integer::sum);
            checked++;
        }
        assertThat(requestsPerJob).as("every job read its input and wrote its output through the proxy")
                .hasSize(JOBS).allSatisfy((folder, count) -> assertThat(count).isGreaterThanOrEqualTo(2));
        System.out.println("ISOLATION FIGURES: concurrent jobs=" + JOBS + " in " + REGIONS.size()
                + " regions, S3 requests checked=" + checked + ", signed with another job's key=0, for another region=0");
    }

    private static String random(int length) {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase().substring(0, length);
    }
}
