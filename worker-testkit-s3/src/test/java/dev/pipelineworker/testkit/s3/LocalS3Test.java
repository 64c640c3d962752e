package dev.pipelineworker.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

class LocalS3Test {

    private static final String KEY_ID = "0d5f3c1e-7a2b-4c8d-9e1f-2a3b4c5d6e7f";
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/" + KEY_ID;

    private static LocalS3 s3;
    private static S3Client client;

    @BeforeAll
    static void start() {
        s3 = LocalS3.start("bucket-under-test", KEY_ARN);
        client = s3.newClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        s3.close();
    }

    @Test
    void storesObjectsInTheBucketItCreated() {
        client.putObject(b -> b.bucket(s3.bucket()).key("a/b.txt"), RequestBody.fromString("hello"));

        assertThat(client.getObjectAsBytes(b -> b.bucket("bucket-under-test").key("a/b.txt")).asUtf8String())
                .isEqualTo("hello");
        assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void acceptsTheConfiguredKmsKeyAndRefusesOthers() {
        client.putObject(b -> b.bucket(s3.bucket()).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(KEY_ID), RequestBody.fromString("sealed"));

        assertThat(client.headObject(b -> b.bucket(s3.bucket()).key("kms")).ssekmsKeyId()).contains(KEY_ID);
        assertThatThrownBy(() -> client.putObject(b -> b.bucket(s3.bucket()).key("other")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId("not-a-configured-key"),
                RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(client.listObjectsV2(b -> b.bucket(s3.bucket())).contents())
                .noneMatch(o -> o.key().equals("other"));
    }

    @Test
    void keepsZipsAndBytesForTestsWithoutAClientOfTheirOwn() {
        s3.putZip("in/source.zip", Map.of("README.md", "# hi\n", "src/Main.java", "class Main {}\n"));
        s3.putObject("raw.bin", new byte[] {1, 2, 3});

        assertThat(s3.getZipTexts("in/source.zip"))
                .containsOnly(Map.entry("README.md", "# hi\n"), Map.entry("src/Main.java", "class Main {}\n"));
        assertThat(s3.getObject("raw.bin")).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> s3.getObject("absent")).isInstanceOf(NoSuchKeyException.class);
    }
}
