package dev.pipelineworker.spring.boot.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link InvalidWorkerProperty} into Spring Boot's startup report: the property, the reason, the fix. */
public final class InvalidWorkerPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidWorkerProperty> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidWorkerProperty cause) {
        return new FailureAnalysis("The pipeline-worker property " + cause.property() + " is invalid: "
                + cause.reason(), "Fix " + cause.property() + " in the application's configuration.", cause);
    }
}
