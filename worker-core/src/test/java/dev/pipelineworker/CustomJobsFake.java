package dev.pipelineworker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codepipeline.CodePipelineClient;
import software.amazon.awssdk.services.codepipeline.CodePipelineServiceClientConfiguration;
import software.amazon.awssdk.services.codepipeline.model.AcknowledgeJobRequest;
import software.amazon.awssdk.services.codepipeline.model.AcknowledgeJobResponse;
import software.amazon.awssdk.services.codepipeline.model.ActionType;
import software.amazon.awssdk.services.codepipeline.model.ActionTypeNotFoundException;
import software.amazon.awssdk.services.codepipeline.model.GetActionTypeRequest;
import software.amazon.awssdk.services.codepipeline.model.GetActionTypeResponse;
import software.amazon.awssdk.services.codepipeline.model.Job;
import software.amazon.awssdk.services.codepipeline.model.JobData;
import software.amazon.awssdk.services.codepipeline.model.JobStatus;
import software.amazon.awssdk.services.codepipeline.model.ListActionTypesRequest;
import software.amazon.awssdk.services.codepipeline.model.ListActionTypesResponse;
import software.amazon.awssdk.services.codepipeline.model.PollForJobsRequest;
import software.amazon.awssdk.services.codepipeline.model.PollForJobsResponse;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobFailureResultResponse;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultRequest;
import software.amazon.awssdk.services.codepipeline.model.PutJobSuccessResultResponse;

/**
 * An in-memory CodePipeline for custom jobs, behind the SDK client interface the worker is given: the test queues
 * jobs (a job may be handed out again while it runs, as the service does when an acknowledgement is overdue),
 * chooses the status each acknowledgement answers, and may make polls, acknowledgements or success results fail;
 * every poll, acknowledgement and result is recorded. For the preflight it lists the custom action types the test
 * registers, and knows no third-party type.
 */
final class CustomJobsFake implements CodePipelineClient {

    private final ConcurrentLinkedQueue<Job> queued = new ConcurrentLinkedQueue<>();
    final Map<String, JobStatus> acknowledgedAs = new ConcurrentHashMap<>();
    final List<String> acknowledgements = new CopyOnWriteArrayList<>();
    final Map<String, String> results = new ConcurrentHashMap<>();
    final List<Integer> polls = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> pollQueryParams = new CopyOnWriteArrayList<>();
    final Map<String, PutJobSuccessResultRequest> successes = new ConcurrentHashMap<>();
    final List<ActionType> registered = new CopyOnWriteArrayList<>();
    final List<String> successCalls = new CopyOnWriteArrayList<>();
    /** What every poll throws instead of answering, while set. */
    volatile RuntimeException pollFailure;
    /** What every acknowledgement throws instead of answering, while set. */
    volatile RuntimeException acknowledgementFailure;
    /** What every success result throws instead of being accepted, while set. */
    volatile RuntimeException successFailure;

    /** Hands out {@code jobId} on the next poll; its acknowledgement answers {@code status}. */
    void queue(String jobId, JobStatus status) {
        queue(jobId, status, Map.of());
    }

    /** Hands out {@code jobId}, whose action configuration is {@code configuration}, on the next poll. */
    void queue(String jobId, JobStatus status, Map<String, String> configuration) {
        acknowledgedAs.put(jobId, status);
        queued.add(Job.builder().id(jobId).nonce("nonce-" + jobId).accountId("111122223333")
                .data(JobData.builder().actionConfiguration(c -> c.configuration(configuration)).build()).build());
    }

    @Override
    public PollForJobsResponse pollForJobs(PollForJobsRequest request) {
        polls.add(request.maxBatchSize());
        pollQueryParams.add(request.queryParam());
        RuntimeException failure = pollFailure;
        if (failure != null) {
            throw failure;
        }
        List<Job> jobs = new ArrayList<>();
        Job job;
        while (jobs.size() < request.maxBatchSize() && (job = queued.poll()) != null) {
            jobs.add(job);
        }
        return PollForJobsResponse.builder().jobs(jobs).build();
    }

    @Override
    public AcknowledgeJobResponse acknowledgeJob(AcknowledgeJobRequest request) {
        acknowledgements.add(request.jobId());
        RuntimeException failure = acknowledgementFailure;
        if (failure != null) {
            throw failure;
        }
        return AcknowledgeJobResponse.builder().status(acknowledgedAs.get(request.jobId())).build();
    }

    @Override
    public PutJobSuccessResultResponse putJobSuccessResult(PutJobSuccessResultRequest request) {
        successCalls.add(request.jobId());
        RuntimeException failure = successFailure;
        if (failure != null) {
            throw failure;
        }
        successes.put(request.jobId(), request);
        results.put(request.jobId(), "success");
        return PutJobSuccessResultResponse.builder().build();
    }

    @Override
    public PutJobFailureResultResponse putJobFailureResult(PutJobFailureResultRequest request) {
        results.put(request.jobId(), request.failureDetails().typeAsString() + ": " + request.failureDetails().message());
        return PutJobFailureResultResponse.builder().build();
    }

    @Override
    public ListActionTypesResponse listActionTypes(ListActionTypesRequest request) {
        return ListActionTypesResponse.builder().actionTypes(registered).build();
    }

    @Override
    public GetActionTypeResponse getActionType(GetActionTypeRequest request) {
        throw ActionTypeNotFoundException.builder().message("no third-party action types here").build();
    }

    @Override
    public CodePipelineServiceClientConfiguration serviceClientConfiguration() {
        return CodePipelineServiceClientConfiguration.builder().region(Region.US_EAST_1).build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
