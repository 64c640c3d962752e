package dev.pipelineworker.testkit.emulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * STS's {@code GetCallerIdentity} on the emulator's endpoint (AWS query protocol: a form body
 * {@code Action=GetCallerIdentity&Version=2011-06-15}, an XML answer), so that a worker's preflight, and
 * {@code doctor} against the standalone emulator, can ask who it is with {@code AWS_ENDPOINT_URL_STS} pointed here.
 * Every caller is the emulator's one account, which is the account of its jobs by default.
 */
final class StsOperations {

    /** The account every caller belongs to. */
    static final String ACCOUNT = "111111111111";
    static final String CONTENT_TYPE = "text/xml";

    private StsOperations() {
    }

    /** Whether {@code body} is an STS query call. */
    static boolean isStsCall(String contentType, String body) {
        return contentType != null && contentType.startsWith("application/x-www-form-urlencoded")
                && body.contains("Action=");
    }

    /** The XML answer, or null when the action is not GetCallerIdentity. */
    static byte[] answer(String body) {
        if (!body.contains("Action=GetCallerIdentity")) {
            return null;
        }
        String xml = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
                + "<GetCallerIdentityResult><Arn>arn:aws:iam::" + ACCOUNT + ":user/local-code-pipeline</Arn>"
                + "<UserId>AIDALOCALCODEPIPELINE</UserId><Account>" + ACCOUNT + "</Account></GetCallerIdentityResult>"
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                + "</GetCallerIdentityResponse>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    /** The query protocol's error for an action the emulator does not serve. */
    static byte[] unknownAction() {
        return ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
                + "<Code>InvalidAction</Code><Message>The emulator serves GetCallerIdentity only</Message></Error>"
                + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8);
    }
}
