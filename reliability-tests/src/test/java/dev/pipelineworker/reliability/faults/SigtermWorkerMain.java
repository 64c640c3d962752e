package dev.pipelineworker.reliability.faults;

import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobWorker;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;

/**
 * A worker main for {@link SigtermTest}, run in a child JVM: serves the third-party action type at the emulator
 * given as the first argument, with the shutdown grace period (milliseconds) given as the second, until SIGTERM.
 * A {@code quick} job works for the third argument's milliseconds and succeeds; a {@code stuck} job ignores its
 * interrupt for 60 s. Prints {@code STARTED <jobId>} when a handler starts and {@code EXITING} when
 * {@link JobWorker#runUntilSignal()} returned.
 */
public final class SigtermWorkerMain {

    private SigtermWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        URI endpoint = URI.create(args[0]);
        Duration grace = Duration.ofMillis(Long.parseLong(args[1]));
        long quickMillis = Long.parseLong(args[2]);
        try (CodePipelineClient client = Fixtures.client(endpoint)) {
            JobWorker worker = Fixtures.worker(Fixtures.THIRD_PARTY, context -> {
                System.out.println("STARTED " + context.jobId());
                System.out.flush();
                if (context.configuration().requireString("mode").equals("quick")) {
                    Thread.sleep(quickMillis);
                    return JobOutcome.success("drained");
                }
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < until) {
                    try {
                        Thread.sleep(until - System.nanoTime() > 0 ? 100 : 0);
                    } catch (InterruptedException ignored) {
                        // a straggler: keeps going
                    }
                }
                return JobOutcome.success("too late");
            }, client, 5).shutdownGrace(grace).build();
            worker.runUntilSignal();
        }
        System.out.println("EXITING");
        System.out.flush();
    }
}
