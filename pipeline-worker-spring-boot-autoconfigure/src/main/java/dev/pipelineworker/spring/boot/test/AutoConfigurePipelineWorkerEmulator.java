package dev.pipelineworker.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * On a {@code @SpringBootTest}: the application's workers poll a {@code LocalCodePipeline} and keep their artifacts
 * in a {@code LocalS3}, both started for the test's context and available as beans to enqueue jobs and read results
 * (see {@link PipelineWorkerEmulatorAutoConfiguration}). Needs {@code dev.pipelineworker:worker-testkit-s3} on the
 * test class path.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration(PipelineWorkerEmulatorAutoConfiguration.class)
public @interface AutoConfigurePipelineWorkerEmulator {
}
