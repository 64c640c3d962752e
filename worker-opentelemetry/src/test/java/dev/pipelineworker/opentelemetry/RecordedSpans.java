package dev.pipelineworker.opentelemetry;

import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The real OpenTelemetry SDK exporting every ended span to memory, where the tests read them. */
final class RecordedSpans implements AutoCloseable {

    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("pipelineworker.job.id");
    static final Duration WAIT = Duration.ofSeconds(15);

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build();

    OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** Every span ended so far, in the order they ended. */
    List<SpanData> all() {
        return exporter.getFinishedSpanItems();
    }

    /** Waits until the span of job {@code jobId} has ended and returns it. */
    SpanData awaitJob(String jobId) {
        return await("the span of job " + jobId).atMost(WAIT).until(() -> job(jobId), Optional::isPresent).get();
    }

    /** Waits until {@code parent} has a child named {@code name} that has ended, and returns it. */
    SpanData awaitChild(SpanData parent, String name) {
        return awaitSpan(s -> s.getName().equals(name) && s.getParentSpanId().equals(parent.getSpanId())
                && s.getTraceId().equals(parent.getTraceId()), name + " under " + parent.getName());
    }

    SpanData awaitSpan(Predicate<SpanData> condition, String description) {
        return await(description).atMost(WAIT)
                .until(() -> all().stream().filter(condition).findFirst(), Optional::isPresent).get();
    }

    /** The ended children of {@code parent}, in the order they ended. */
    List<SpanData> children(SpanData parent) {
        return all().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())
                && s.getTraceId().equals(parent.getTraceId())).toList();
    }

    private Optional<SpanData> job(String jobId) {
        return all().stream().filter(s -> jobId.equals(s.getAttributes().get(JOB_ID))).findFirst();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
