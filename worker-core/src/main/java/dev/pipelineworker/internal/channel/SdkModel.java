package dev.pipelineworker.internal.channel;

import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.Artifact;
import dev.pipelineworker.ArtifactCredentials;
import dev.pipelineworker.EncryptionKey;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobFailureException;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.PipelineContext;
import dev.pipelineworker.S3Location;
import dev.pipelineworker.internal.JobData;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.codepipeline.model.AWSSessionCredentials;
import software.amazon.awssdk.services.codepipeline.model.ActionContext;
import software.amazon.awssdk.services.codepipeline.model.ExecutionDetails;
import software.amazon.awssdk.services.codepipeline.model.FailureDetails;
import software.amazon.awssdk.services.codepipeline.model.StageContext;

/** Converts between the SDK's CodePipeline model and ours, in both directions. */
final class SdkModel {

    private SdkModel() {
    }

    static software.amazon.awssdk.services.codepipeline.model.ActionTypeId toSdk(ActionTypeId id) {
        return software.amazon.awssdk.services.codepipeline.model.ActionTypeId.builder()
                .category(id.category().apiName())
                .owner(id.owner().apiName())
                .provider(id.provider())
                .version(id.version())
                .build();
    }

    static JobData fromThirdParty(String jobId, JobQueue queue,
                                  software.amazon.awssdk.services.codepipeline.model.ThirdPartyJobData data) {
        if (data == null) {
            throw malformed("the job details carry no job data");
        }
        return new JobData(jobId, null, actionType(data.actionTypeId(), queue.actionType()),
                pipeline(data.pipelineContext()), configuration(data.actionConfiguration()),
                artifacts(data.inputArtifacts(), "input"), artifacts(data.outputArtifacts(), "output"),
                encryptionKey(data.encryptionKey()), credentials(data.artifactCredentials()), data.continuationToken(),
                queue.region());
    }

    static JobData fromCustom(String jobId, String accountId, JobQueue queue,
                              software.amazon.awssdk.services.codepipeline.model.JobData data) {
        if (data == null) {
            throw malformed("the job carries no job data");
        }
        return new JobData(jobId, accountId, actionType(data.actionTypeId(), queue.actionType()),
                pipeline(data.pipelineContext()), configuration(data.actionConfiguration()),
                artifacts(data.inputArtifacts(), "input"), artifacts(data.outputArtifacts(), "output"),
                encryptionKey(data.encryptionKey()), credentials(data.artifactCredentials()), data.continuationToken(),
                queue.region());
    }

    static ArtifactCredentials credentials(AWSSessionCredentials credentials) {
        if (credentials == null || credentials.accessKeyId() == null || credentials.secretAccessKey() == null) {
            return null;
        }
        return new ArtifactCredentials(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials.sessionToken());
    }

    static ExecutionDetails executionDetails(Report.Success report) {
        if (!report.hasExecutionDetails()) {
            return null;
        }
        return ExecutionDetails.builder()
                .summary(report.summary())
                .externalExecutionId(report.externalExecutionId())
                .percentComplete(report.percentComplete())
                .build();
    }

    static software.amazon.awssdk.services.codepipeline.model.CurrentRevision currentRevision(Report.Success report) {
        var revision = report.currentRevision();
        if (revision == null) {
            return null;
        }
        return software.amazon.awssdk.services.codepipeline.model.CurrentRevision.builder()
                .revision(revision.revision())
                .changeIdentifier(revision.changeIdentifier())
                .created(revision.created())
                .revisionSummary(revision.revisionSummary())
                .build();
    }

    static FailureDetails failureDetails(Report.Failure report) {
        return FailureDetails.builder()
                .type(report.type().apiName())
                .message(report.message())
                .externalExecutionId(report.externalExecutionId())
                .build();
    }

    private static ActionTypeId actionType(software.amazon.awssdk.services.codepipeline.model.ActionTypeId id,
                                           ActionTypeId fallback) {
        if (id == null) {
            return fallback;
        }
        try {
            return new ActionTypeId(ActionCategory.fromApiName(id.categoryAsString()),
                    ActionOwner.fromApiName(id.ownerAsString()), id.provider(), id.version());
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static PipelineContext pipeline(software.amazon.awssdk.services.codepipeline.model.PipelineContext c) {
        if (c == null) {
            return PipelineContext.builder().build();
        }
        StageContext stage = c.stage();
        ActionContext action = c.action();
        return new PipelineContext(c.pipelineName(), stage == null ? null : stage.name(),
                action == null ? null : action.name(), action == null ? null : action.actionExecutionId(),
                c.pipelineArn(), c.pipelineExecutionId());
    }

    private static ActionConfiguration configuration(
            software.amazon.awssdk.services.codepipeline.model.ActionConfiguration configuration) {
        Map<String, String> values = configuration == null ? null : configuration.configuration();
        return ActionConfiguration.of(values);
    }

    private static List<Artifact> artifacts(List<software.amazon.awssdk.services.codepipeline.model.Artifact> list,
                                            String kind) {
        return list.stream().map(a -> {
            var location = a.location() == null ? null : a.location().s3Location();
            if (a.name() == null || location == null || location.bucketName() == null
                    || location.objectKey() == null) {
                throw malformed("the " + kind + " artifact '" + a.name() + "' has no S3 location");
            }
            return new Artifact(a.name(), new S3Location(location.bucketName(), location.objectKey()), a.revision());
        }).toList();
    }

    private static EncryptionKey encryptionKey(software.amazon.awssdk.services.codepipeline.model.EncryptionKey key) {
        if (key == null) {
            return null;
        }
        if (!"KMS".equals(key.typeAsString())) {
            throw malformed("the job's encryption key has type '" + key.typeAsString() + "'; only KMS is supported");
        }
        if (key.id() == null || key.id().isEmpty()) {
            throw malformed("the job's encryption key has no id");
        }
        return EncryptionKey.kms(key.id());
    }

    private static JobFailureException malformed(String why) {
        return new JobFailureException(FailureType.JOB_FAILED, "malformed job data: " + why);
    }
}
