package dev.pipelineworker.examples.readme;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.ClientTokenProvider;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobHandler;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import java.util.Map;

/** The smallest complete worker: a third-party Build action that greets, or fails when asked to. */
public final class HelloWorker {

    public static void main(String[] args) throws InterruptedException {
        JobHandler handler = ctx -> {
            if (ctx.configuration().optionalBoolean("Fail").orElse(false)) {
                return JobOutcome.fail(FailureType.JOB_FAILED, "asked to fail");
            }
            String greeting = ctx.configuration().optionalString("Greeting").orElse("hello");
            return JobOutcome.success(greeting + " from " + ctx.pipeline().pipelineName());
        };
        JobWorker.builder(ActionTypeId.thirdParty(ActionCategory.BUILD, "Hello", "1"), handler)
                .clientTokens(ClientTokenProvider.fromMap(Map.of(args[0], args[1]))) // clientId, clientToken
                .build()
                .runUntilSignal();
    }
}
