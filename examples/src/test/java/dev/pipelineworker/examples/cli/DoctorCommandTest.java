package dev.pipelineworker.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipelineworker.examples.ExampleWorker;
import dev.pipelineworker.testkit.LocalCodePipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code registration} and {@code doctor} against the emulator: the generated registration, registered, makes
 * doctor pass; a mismatch makes it fail with exit status 1.
 */
class DoctorCommandTest {

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private LocalCodePipeline cp;
    private String savedKey;
    private String savedSecret;

    @BeforeEach
    void credentials() {
        // The SDK's default chain reads these; the emulator accepts any credentials.
        savedKey = System.setProperty("aws.accessKeyId", "AKIDDOCTORTEST");
        savedSecret = System.setProperty("aws.secretAccessKey", "doctor-test-secret");
    }

    @AfterEach
    void restore() {
        restore("aws.accessKeyId", savedKey);
        restore("aws.secretAccessKey", savedSecret);
        if (cp != null) {
            cp.close();
        }
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    private int execute(String... args) {
        CommandLine commandLine = ExampleWorker.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private String registration(String kind) {
        assertThat(execute("registration", "--kind", kind)).isZero();
        String file = out.toString();
        out.getBuffer().setLength(0);
        return file;
    }

    private String[] doctor(String... more) throws IOException {
        Path tokens = Files.writeString(temp.resolve("tokens.json"),
                "{\"" + cp.defaultClientId() + "\": \"" + cp.clientToken(cp.defaultClientId()).orElseThrow() + "\"}");
        String[] base = {"doctor", "--endpoint-url", cp.endpoint().toString(), "--regions", cp.defaultRegion(),
            "--client-tokens", tokens.toString(), "--journal-dir", temp.resolve("journal").toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void doctorPassesWithTheGeneratedThirdPartyRegistration() throws IOException {
        cp = LocalCodePipeline.builder().registeredActionType(registration("third-party")).start();

        int status = execute(doctor());

        assertThat(status).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("PASS registration").contains("PASS registration.properties")
                .contains("PASSED: 11 checks, 0 failed, 0 warned");
    }

    @Test
    void doctorPassesWithTheGeneratedCustomRegistration() throws IOException {
        cp = LocalCodePipeline.builder().registeredActionType(registration("custom")).start();

        int status = execute("doctor", "--endpoint-url", cp.endpoint().toString(), "--regions", cp.defaultRegion(),
                "--owner", "Custom", "--journal-dir", temp.resolve("journal").toString());

        assertThat(status).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("PASS registration.artifacts").doesNotContain("clientTokens");
    }

    @Test
    void doctorFailsWithStatusOneWhenTheTypeIsNotRegistered() throws IOException {
        cp = LocalCodePipeline.builder().start();

        int status = execute(doctor());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).contains("FAIL registration")
                .contains("Build/ThirdParty/Manifest/1 is not registered").contains("fix: register it");
    }

    @Test
    void doctorFailsWhenTheWorkersTimeoutIsNotShorterThanTheExecutors() throws IOException {
        cp = LocalCodePipeline.builder().registeredActionType(registration("third-party")).start();

        int status = execute(doctor("--job-timeout", "3600"));

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).contains("FAIL jobTimeout").contains("FAILED: 11 checks, 1 failed");
    }
}
