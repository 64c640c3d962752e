package dev.pipelineworker.testkit;

import java.util.List;

/** The jobs of one continuation chain, in the order they ran; the last one did not continue. */
public record ChainResult(List<JobResult> jobs) {
    public ChainResult {
        jobs = List.copyOf(jobs);
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("a chain holds at least one job");
        }
    }

    /** The job that started the chain. */
    public JobResult first() {
        return jobs.get(0);
    }

    /** The job that ended the chain. */
    public JobResult last() {
        return jobs.get(jobs.size() - 1);
    }
}
