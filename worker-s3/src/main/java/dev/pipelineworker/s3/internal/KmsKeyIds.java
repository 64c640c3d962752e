package dev.pipelineworker.s3.internal;

import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import java.util.regex.Pattern;

/**
 * A local check of the pipeline's key reference before it goes into an SSE-KMS header. It needs no
 * KMS permission (a least-privilege worker cannot call kms:DescribeKey), and it turns a malformed id
 * into a clear configuration error instead of an opaque 400 from S3 after the upload is sent.
 */
public final class KmsKeyIds {

    private static final String KEY_ID = "(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
            + "|mrk-[0-9a-fA-F]{32})";
    private static final String ALIAS = "alias/[a-zA-Z0-9/_-]{1,250}";
    private static final Pattern VALID = Pattern.compile(
            KEY_ID + "|" + ALIAS + "|arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(?:key/" + KEY_ID + "|" + ALIAS + ")");

    private KmsKeyIds() {
    }

    /** The key id to send with uploads; refuses a key that is not KMS or not a key id, key ARN, alias or alias ARN. */
    public static String requireValid(EncryptionKey key) {
        if (!"KMS".equals(key.type())) {
            throw new JobFailureException(FailureType.CONFIGURATION_ERROR,
                    "The pipeline's encryption key has type '" + key.type() + "'; only KMS keys are supported");
        }
        if (!VALID.matcher(key.id()).matches()) {
            throw new JobFailureException(FailureType.CONFIGURATION_ERROR, "The pipeline's encryption key id '"
                    + key.id() + "' is not a KMS key id, key ARN, alias name or alias ARN");
        }
        return key.id();
    }
}
