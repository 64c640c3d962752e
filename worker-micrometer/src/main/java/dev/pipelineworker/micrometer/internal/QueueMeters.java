package dev.pipelineworker.micrometer.internal;

import dev.pipelineworker.micrometer.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/** The meters of one queue's polls and claims, and its job meters for jobs that name no pipeline action. */
final class QueueMeters {

    private final Counter pollsWithJobs;
    private final Counter pollsEmpty;
    private final Counter pollsFailed;
    private final Counter pollsThrottled;
    private final Counter received;
    private final Counter claimed;
    private final Counter lost;
    private final JobMeters jobs;

    QueueMeters(MeterRegistry registry, Tags tags, Tags jobTags) {
        pollsWithJobs = poll(registry, tags, "jobs");
        pollsEmpty = poll(registry, tags, "empty");
        pollsFailed = poll(registry, tags, "error");
        pollsThrottled = poll(registry, tags, "throttled");
        received = Counter.builder(MeterNames.JOBS_RECEIVED).tags(tags)
                .description("Jobs that polls handed to this worker").register(registry);
        claimed = Counter.builder(MeterNames.JOBS_CLAIMED).tags(tags)
                .description("Jobs this worker acknowledged and so owns").register(registry);
        lost = Counter.builder(MeterNames.JOBS_LOST).tags(tags)
                .description("Jobs another worker claimed first, or that were no longer waiting").register(registry);
        jobs = new JobMeters(registry, jobTags);
    }

    private static Counter poll(MeterRegistry registry, Tags tags, String result) {
        return Counter.builder(MeterNames.POLLS).tags(tags).tag(MeterNames.RESULT, result)
                .description("Polls for jobs, by what they brought").register(registry);
    }

    Counter polled(int received) {
        return received > 0 ? pollsWithJobs : pollsEmpty;
    }

    Counter pollFailed(boolean throttled) {
        return throttled ? pollsThrottled : pollsFailed;
    }

    Counter received() {
        return received;
    }

    Counter claimed() {
        return claimed;
    }

    Counter lost() {
        return lost;
    }

    JobMeters jobs() {
        return jobs;
    }
}
