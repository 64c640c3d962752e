package dev.pipelineworker.testkit;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credential scope of a SigV4-signed request, read from its {@code Authorization} header
 * ({@code AWS4-HMAC-SHA256 Credential=AKID/20250101/eu-west-1/s3/aws4_request, SignedHeaders=..., Signature=...}):
 * which access key signed it, for which region and service. Tests use it to check that a request went out signed
 * for the right region, e.g. on what {@link RecordingProxy} or a WireMock proxy recorded. The signature itself is
 * not verified.
 *
 * @param accessKeyId the access key id that signed (an id, not a secret)
 * @param date        the scope's date, {@code yyyyMMdd}
 * @param region      the region signed for, e.g. {@code eu-west-1}
 * @param service     the signing name, e.g. {@code s3} or {@code codepipeline}
 */
public record SigV4Scope(String accessKeyId, String date, String region, String service) {

    private static final Pattern CREDENTIAL = Pattern.compile(
            "Credential=([^/,\\s]+)/([0-9]{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request");

    /** Checks the members. */
    public SigV4Scope {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
    }

    /**
     * The scope named by an {@code Authorization} header's {@code Credential=}; empty when the header is null
     * (an unsigned request) or names no parsable scope.
     */
    public static Optional<SigV4Scope> fromAuthorization(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        Matcher credential = CREDENTIAL.matcher(authorizationHeader);
        if (!credential.find()) {
            return Optional.empty();
        }
        return Optional.of(new SigV4Scope(credential.group(1), credential.group(2), credential.group(3),
                credential.group(4)));
    }
}
