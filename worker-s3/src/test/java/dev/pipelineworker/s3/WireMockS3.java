package dev.pipelineworker.s3;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** What the WireMock tests share: a factory aimed at the server with quick retries, S3 errors, a multipart upload. */
final class WireMockS3 {

    static final int MAX_ATTEMPTS = 3;
    /** A KMS key in the factory's region, for the tests that upload with the job's key. */
    static final String KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/6b4f1d8e-2c3a-4e5f-9a7b-1c2d3e4f5a6b";

    private WireMockS3() {
    }

    /** 5 MiB parts and threshold, {@value #MAX_ATTEMPTS} attempts 1 ms apart. */
    static S3ArtifactStoreFactory.Builder factory(WireMockServer wireMock) {
        return S3ArtifactStoreFactory.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://localhost:" + wireMock.port()))
                .forcePathStyle(true)
                .multipartThreshold(5L << 20)
                .partSize(5L << 20)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(MAX_ATTEMPTS)
                        .backoffStrategy(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(1)))
                        .throttlingBackoffStrategy(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(1)))
                        .circuitBreakerEnabled(false)
                        .build());
    }

    static ResponseDefinitionBuilder error(int status, String code) {
        return aResponse().withStatus(status).withHeader("x-amz-request-id", "req-" + code)
                .withBody("<Error><Code>" + code + "</Code><Message>" + code + " happened</Message></Error>");
    }

    /** Create, parts answered with {@code partResponse}, complete and abort of upload {@code upload-1} at {@code path}. */
    static void stubMultipart(WireMockServer wireMock, String path, ResponseDefinitionBuilder partResponse) {
        wireMock.stubFor(post(urlPathEqualTo(path)).withQueryParam("uploads", matching(".*"))
                .willReturn(aResponse().withStatus(200).withBody("<InitiateMultipartUploadResult><Bucket>artifacts"
                        + "</Bucket><Key>out.zip</Key><UploadId>upload-1</UploadId></InitiateMultipartUploadResult>")));
        wireMock.stubFor(put(urlPathEqualTo(path)).withQueryParam("uploadId", equalTo("upload-1"))
                .willReturn(partResponse));
        wireMock.stubFor(post(urlPathEqualTo(path)).withQueryParam("uploadId", equalTo("upload-1"))
                .willReturn(aResponse().withStatus(200).withBody("<CompleteMultipartUploadResult><Bucket>artifacts"
                        + "</Bucket><Key>out.zip</Key><ETag>\"all-3\"</ETag></CompleteMultipartUploadResult>")));
        wireMock.stubFor(delete(urlPathEqualTo(path)).withQueryParam("uploadId", equalTo("upload-1"))
                .willReturn(aResponse().withStatus(204)));
    }
}
