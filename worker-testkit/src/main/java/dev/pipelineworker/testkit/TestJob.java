package dev.pipelineworker.testkit;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.internal.ContinuationCodec;
import dev.pipelineworker.internal.JobData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.regions.Region;
import java.util.Optional;

/**
 * A job to run a handler against: its data as CodePipeline would send it, plus the bytes of each
 * input artifact. Immutable; built with {@link #builder()}, every member has a realistic default.
 * A class rather than a record because it holds byte arrays, which it copies in and out.
 */
public final class TestJob {

    /** The default action type: a third-party Build action, provider {@code Test}, version {@code 1}. */
    public static final ActionTypeId DEFAULT_ACTION_TYPE = ActionTypeId.thirdParty(ActionCategory.BUILD, "Test", "1");
    /** The default job id. */
    public static final String DEFAULT_JOB_ID = "00000000-0000-4000-8000-000000000001";
    /** The default account id. */
    public static final String DEFAULT_ACCOUNT_ID = "111111111111";

    /** The region of a job whose builder was given none. */
    public static final Region DEFAULT_REGION = Region.US_EAST_1;
    /** The default pipeline, stage, action and action execution. */
    public static final PipelineContext DEFAULT_PIPELINE = PipelineContext.builder()
            .pipelineName("test-pipeline").stageName("Build").actionName("Test")
            .actionExecutionId("00000000-0000-4000-8000-0000000000ae")
            .pipelineArn("arn:aws:codepipeline:us-east-1:111111111111:test-pipeline")
            .build();
    /** The bucket every test artifact claims to live in; nothing is ever read from it. */
    public static final String ARTIFACT_BUCKET = "test-artifact-bucket";

    private final JobData data;
    private final Map<String, byte[]> inputContents;

    private TestJob(JobData data, Map<String, byte[]> inputContents) {
        this.data = data;
        this.inputContents = inputContents;
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this job. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The job id. */
    public String jobId() {
        return data.jobId();
    }

    /** The pipeline, stage, action and action execution. */
    public PipelineContext pipeline() {
        return data.pipeline();
    }

    /** The action configuration. */
    public ActionConfiguration configuration() {
        return data.configuration();
    }

    /** The input artifacts, in the order they were added. */
    public List<Artifact> inputArtifacts() {
        return data.inputArtifacts();
    }

    /** The output artifacts, in the order they were added. */
    public List<Artifact> outputArtifacts() {
        return data.outputArtifacts();
    }

    /** The continuation token this job carries, if any. */
    public Optional<String> continuationToken() {
        return Optional.ofNullable(data.continuationToken());
    }

    JobData data() {
        return data;
    }

    Map<String, byte[]> inputContents() {
        return inputContents;
    }

    /** Collects a {@link TestJob}. Inputs that come from files or directories are read when added. */
    public static final class Builder {
        private String jobId = DEFAULT_JOB_ID;
        private String accountId = DEFAULT_ACCOUNT_ID;
        private ActionTypeId actionType = DEFAULT_ACTION_TYPE;
        private PipelineContext pipeline = DEFAULT_PIPELINE;
        private final Map<String, String> configuration = new LinkedHashMap<>();
        private final Map<String, byte[]> inputs = new LinkedHashMap<>();
        private final Map<String, String> revisions = new LinkedHashMap<>();
        private final List<String> outputs = new ArrayList<>();
        private EncryptionKey encryptionKey;
        private String continuationToken;
        private Region region = DEFAULT_REGION;

        private Builder() {
        }

        private Builder(TestJob job) {
            JobData data = job.data;
            jobId = data.jobId();
            accountId = data.accountId();
            actionType = data.actionTypeId();
            pipeline = data.pipeline();
            configuration.putAll(data.configuration().asMap());
            for (Artifact input : data.inputArtifacts()) {
                inputs.put(input.name(), job.inputContents.get(input.name()));
                if (input.revision() != null) {
                    revisions.put(input.name(), input.revision());
                }
            }
            data.outputArtifacts().forEach(output -> outputs.add(output.name()));
            encryptionKey = data.encryptionKey();
            continuationToken = data.continuationToken();
            region = data.region();
        }

        /** The job id. Default: {@link #DEFAULT_JOB_ID}. */
        public Builder jobId(String jobId) {
            this.jobId = Objects.requireNonNull(jobId, "jobId");
            return this;
        }

        /** The account id, or {@code null} as CodePipeline may send. Default: {@link #DEFAULT_ACCOUNT_ID}. */
        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        /** The region the job runs in, which {@code JobContext.region()} gives. Default: {@link #DEFAULT_REGION}. */
        public Builder region(Region region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** The action type. Default: {@link #DEFAULT_ACTION_TYPE}. */
        public Builder actionType(ActionTypeId actionType) {
            this.actionType = Objects.requireNonNull(actionType, "actionType");
            return this;
        }

        /** The pipeline context, used as given (members may be {@code null}). Default: {@link #DEFAULT_PIPELINE}. */
        public Builder pipeline(PipelineContext pipeline) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            return this;
        }

        /** Replaces the whole configuration with {@code values}. Default: empty. */
        public Builder configuration(Map<String, String> values) {
            configuration.clear();
            configuration.putAll(values);
            return this;
        }

        /** Sets one configuration value. */
        public Builder configuration(String key, String value) {
            configuration.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds (or replaces) an input artifact holding exactly these bytes: normally a zip, or not, to test that. */
        public Builder inputBytes(String name, byte[] content) {
            inputs.put(Objects.requireNonNull(name, "name"), content.clone());
            return this;
        }

        /** Adds an input artifact holding the bytes of {@code file}, as is. */
        public Builder inputFile(String name, Path file) {
            try {
                return inputBytes(name, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read input file for artifact '" + name + "'", e);
            }
        }

        /** Adds an input artifact holding {@code directory} zipped as the worker zips directories. */
        public Builder inputDirectory(String name, Path directory) {
            return inputBytes(name, Zips.zipDirectory(directory));
        }

        /** Adds an input artifact holding a zip of these paths with their UTF-8 contents. */
        public Builder inputZip(String name, Map<String, String> files) {
            return inputBytes(name, Zips.zipTexts(files));
        }

        /** The revision CodePipeline reports for an input already added. Default: none. */
        public Builder inputRevision(String name, String revision) {
            if (!inputs.containsKey(name)) {
                throw new IllegalArgumentException("no input artifact named '" + name + "' was added");
            }
            revisions.put(name, Objects.requireNonNull(revision, "revision"));
            return this;
        }

        /** Adds output artifacts by name. Default: none. */
        public Builder outputArtifacts(String... names) {
            outputs.addAll(Arrays.asList(names));
            return this;
        }

        /** The KMS key the pipeline names. Default: none. */
        public Builder encryptionKey(EncryptionKey key) {
            this.encryptionKey = key;
            return this;
        }

        /** A raw continuation token, as a job from another tool would carry. Default: none. */
        public Builder continuationToken(String token) {
            this.continuationToken = token;
            return this;
        }

        /** A continuation token carrying {@code state}, encoded as the worker encodes it. */
        public Builder continuationState(Object state) {
            return continuationToken(ContinuationCodec.defaults().encode(state));
        }

        /** The job. */
        public TestJob build() {
            List<Artifact> inputArtifacts = new ArrayList<>();
            inputs.keySet().forEach(name ->
                    inputArtifacts.add(Artifact.of(name, location(name)).withRevision(revisions.get(name))));
            List<Artifact> outputArtifacts = outputs.stream()
                    .map(name -> Artifact.of(name, location(name))).toList();
            JobData data = new JobData(jobId, accountId, actionType, pipeline, ActionConfiguration.of(configuration),
                    inputArtifacts, outputArtifacts, encryptionKey, null, continuationToken, region);
            return new TestJob(data, Collections.unmodifiableMap(new LinkedHashMap<>(inputs)));
        }

        private S3Location location(String artifactName) {
            return S3Location.of(ARTIFACT_BUCKET, "artifacts/" + artifactName);
        }
    }
}
