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
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The deployable jar on its own: loaded in a class loader that sees nothing of this build but the
 * JDK, as the Lambda Java runtime would load it, and invoked through {@code handleRequest}; its
 * manifest names nothing it does not hold, and it logs through its own backend.
 */
class ManifestLambdaJarIT {

    private static final Path JAR = Path.of("target", "manifest-lambda.jar");

    @Test
    void theJarHoldsEverythingTheFunctionNeeds() throws Exception {
        assertThat(JAR).exists();
        Thread thread = Thread.currentThread();
        ClassLoader testLoader = thread.getContextClassLoader();
        try (URLClassLoader loader = new IsolatedLoader(new URL[] {JAR.toUri().toURL()})) {
            // The Lambda runtime makes the function's loader the context class loader, which ServiceLoader
            // searches; left at this test's, it would find worker-s3 on the build's class path instead.
            thread.setContextClassLoader(loader);
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

            // The jar's own S3 artifact store is the one a deployed function discovers.
            Class<?> factory = Class.forName("dev.pipelineworker.ArtifactStoreFactory", true, loader);
            assertThat(ServiceLoader.load(factory, loader).findFirst()).get()
                    .extracting(store -> store.getClass().getName())
                    .isEqualTo("dev.pipelineworker.s3.S3ArtifactStoreFactory");
        } finally {
            thread.setContextClassLoader(testLoader);
        }
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.stream().map(JarEntry::getName))
                    .as("the example worker's command line, demo, endpoints and their dependencies stay out of the "
                            + "function")
                    .noneMatch(name -> name.startsWith("org/springframework/") || name.startsWith("com/adobe/")
                            || name.startsWith("picocli/")
                            || name.startsWith("io/micrometer/") || name.startsWith("io/prometheus/")
                            || name.startsWith("dev/pipelineworker/testkit/")
                            || name.startsWith("dev/pipelineworker/micrometer/")
                            || name.startsWith("dev/pipelineworker/examples/demo/")
                            || name.startsWith("dev/pipelineworker/examples/ops/")
                            || name.startsWith("dev/pipelineworker/examples/logging/")
                            || name.startsWith("org/slf4j/bridge/")
                            || name.startsWith("org/apache/commons/logging/impl/SLF4J"));
            assertThat(new String(jar.getInputStream(jar.getEntry("logback.xml")).readAllBytes(),
                    StandardCharsets.UTF_8))
                    .as("the function's logging configuration, not the example worker's")
                    .isEqualTo(Files.readString(Path.of("src", "lambda", "logback.xml")));
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue(Attributes.Name.MAIN_CLASS)).as("Main-Class").isNull();
            assertThat(manifest.getValue(Attributes.Name.CLASS_PATH)).as("Class-Path").isNull();
        }
        assertThat(Files.size(JAR)).isGreaterThan(1_000_000);
    }

    @Test
    void theFunctionLogsThroughTheJarsOwnBackendWithoutSlf4jWarnings() throws Exception {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread thread = Thread.currentThread();
        ClassLoader testLoader = thread.getContextClassLoader();
        try (URLClassLoader loader = new IsolatedLoader(new URL[] {JAR.toUri().toURL()})) {
            thread.setContextClassLoader(loader);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Class<?> loggers = Class.forName("org.slf4j.LoggerFactory", true, loader);
            Object s3Logger = loggers.getMethod("getLogger", String.class).invoke(null, "dev.pipelineworker.s3.Probe");
            s3Logger.getClass().getMethod("info", String.class).invoke(s3Logger, "a line of worker-s3's");
            Object sdkLogger = loggers.getMethod("getLogger", String.class).invoke(null, "software.amazon.awssdk.core");
            boolean sdkInfo = (boolean) sdkLogger.getClass().getMethod("isInfoEnabled").invoke(sdkLogger);
            Object wireLogger = loggers.getMethod("getLogger", String.class).invoke(null, "org.apache.http.wire");
            boolean wireDebug = (boolean) wireLogger.getClass().getMethod("isDebugEnabled").invoke(wireLogger);
            Object backend = loggers.getMethod("getILoggerFactory").invoke(null);

            assertThat(backend.getClass().getName()).isEqualTo("ch.qos.logback.classic.LoggerContext");
            assertThat(sdkInfo).as("the SDK's INFO lines").isFalse();
            assertThat(wireDebug).as("the wire logger").isFalse();
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            thread.setContextClassLoader(testLoader);
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("INFO  [job none] dev.pipelineworker.s3.Probe - a line of worker-s3's");
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("SLF4J");
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
