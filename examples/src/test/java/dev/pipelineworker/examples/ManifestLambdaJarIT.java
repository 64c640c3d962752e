package dev.pipelineworker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pipelineworker.lambda.testing.FakeLambdaContext;
import dev.pipelineworker.lambda.testing.LambdaEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The deployable jar on its own: loaded in a class loader that sees nothing of this build but the
 * JDK, as the Lambda Java runtime would load it, and invoked through {@code handleRequest}.
 */
class ManifestLambdaJarIT {

    private static final Path JAR = Path.of("target", "manifest-lambda.jar");

    @Test
    void theJarHoldsEverythingTheFunctionNeeds() throws Exception {
        assertThat(JAR).exists();
        try (URLClassLoader loader = new IsolatedLoader(new URL[] {JAR.toUri().toURL()})) {
            Class<?> function = Class.forName("dev.pipelineworker.examples.ManifestFunction", true, loader);
            assertThat(function.getClassLoader()).isSameAs(loader);
            Object instance = function.getConstructor().newInstance();
            String event = LambdaEvent.builder().configuration("FailWith", "PermissionError").outputArtifacts("out")
                    .build().json();
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            function.getMethod("handleRequest", InputStream.class, OutputStream.class,
                    com.amazonaws.services.lambda.runtime.Context.class)
                    .invoke(instance, new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                            FakeLambdaContext.withRemainingTime(Duration.ofMinutes(1)));

            JsonNode result = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
            assertThat(result.path("result").asText()).isEqualTo("fail");
            assertThat(result.path("failureType").asText()).isEqualTo("PermissionsError");
            assertThat(result.path("status").path("summary").asText())
                    .isEqualTo("failing with PermissionError as requested by configuration (FailWith)");
        }
        assertThat(Files.size(JAR)).isGreaterThan(1_000_000);
    }

    /**
     * Sees the JDK and the jar, nothing else: only the Lambda runtime interfaces come from this test's
     * class path, as the Lambda runtime shares its own with the function. A class missing from the jar
     * is a ClassNotFoundException here, not something quietly found on the build's class path.
     */
    private static final class IsolatedLoader extends URLClassLoader {
        IsolatedLoader(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("com.amazonaws.services.lambda.runtime.")) {
                return ManifestLambdaJarIT.class.getClassLoader().loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
