package dev.pipelineworker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.pipelineworker.ActionCategory;
import dev.pipelineworker.ActionConfiguration;
import dev.pipelineworker.ActionOwner;
import dev.pipelineworker.ActionTypeId;
import dev.pipelineworker.FailureType;
import dev.pipelineworker.JobOutcome;
import dev.pipelineworker.JobQueue;
import dev.pipelineworker.actiontype.ActionTypeDefinition;
import dev.pipelineworker.actiontype.ConfigurationProperty;
import dev.pipelineworker.internal.channel.Report;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;

/** The declared action type as HandlerInvocation applies it, the one path the worker, Lambda and testkit share. */
class ConfigurationCheckTest {

    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");
    private static final ActionTypeDefinition DEFINITION = ActionTypeDefinition.builder(TestJobData.ACTION)
            .properties(ConfigurationProperty.required("Key"), ConfigurationProperty.required("Project"),
                    ConfigurationProperty.optional("Depth"))
            .build();

    @TempDir
    Path temp;

    private final AtomicInteger runs = new AtomicInteger();
    private final ContinuationCodec codec = ContinuationCodec.defaults();

    private HandlerInvocation invocation(dev.pipelineworker.JobHandler handler) {
        return new HandlerInvocation(handler, new OutcomeValidator(ActionOwner.THIRD_PARTY, codec), codec,
                Clock.fixed(NOW, ZoneOffset.UTC), new ScratchSpace(temp), ConfigurationCheck.of(DEFINITION),
                LoggerFactory.getLogger("test.ConfigurationCheck"));
    }

    private static JobData job(Map<String, String> configuration) {
        return TestJobData.of("job-1").withConfiguration(ActionConfiguration.of(configuration));
    }

    @Test
    void aJobMissingARequiredPropertyFailsAsConfigurationErrorNamingTheKeyWithoutRunningTheHandler() {
        HandlerInvocation.Result result = invocation(context -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }).run(job(Map.of("Key", "v", "Project", " ")), NOW.plusSeconds(60), () -> null);

        assertThat(runs).hasValue(0);
        Report.Failure failure = (Report.Failure) result.report();
        assertThat(failure.type()).isEqualTo(FailureType.CONFIGURATION_ERROR);
        assertThat(failure.message()).isEqualTo("configuration key 'Project' is required by the action type "
                + TestJobData.ACTION + " but missing");
    }

    @Test
    void theHandlerReadsDeclaredPropertiesAndAnUndeclaredReadIsAClearError() {
        HandlerInvocation.Result declared = invocation(context -> JobOutcome.success(
                context.configuration().requireString("Project") + " "
                        + context.configuration().optionalInt("Depth").orElse(3)))
                .run(job(Map.of("Key", "v", "Project", "p")), NOW.plusSeconds(60), () -> null);
        assertThat(((Report.Success) declared.report()).summary()).isEqualTo("p 3");

        HandlerInvocation.Result undeclared = invocation(context -> JobOutcome.success(
                context.configuration().optionalString("Projet").orElse("none")))
                .run(job(Map.of("Key", "v", "Project", "p")), NOW.plusSeconds(60), () -> null);
        assertThat(undeclared.thrown()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configuration key 'Projet' is not declared by the action type "
                        + TestJobData.ACTION);
    }

    @Test
    void secretValuesReachNoLogLineEvenAtTrace() {
        ActionTypeDefinition withSecret = ActionTypeDefinition.builder(TestJobData.ACTION)
                .properties(ConfigurationProperty.required("Key"), ConfigurationProperty.required("Token").withSecret(),
                        ConfigurationProperty.required("Port").withSecret())
                .build();
        String token = "TokenValue-" + UUID.randomUUID();
        String port = "PortValue-" + UUID.randomUUID();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level saved = root.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        root.setLevel(Level.TRACE);
        List<String> texts = new ArrayList<>();
        try {
            HandlerInvocation invocation = new HandlerInvocation(context -> JobOutcome.success(
                    "port " + context.configuration().requireInt("Port")),
                    new OutcomeValidator(ActionOwner.THIRD_PARTY, codec), codec, Clock.fixed(NOW, ZoneOffset.UTC),
                    new ScratchSpace(temp), ConfigurationCheck.of(withSecret),
                    LoggerFactory.getLogger("test.ConfigurationCheck"));
            for (Map<String, String> configuration : List.of(
                    Map.of("Key", "v", "Token", token, "Port", port),   // a typed accessor fails on a secret
                    Map.of("Key", "v", "Port", port))) {                // a required secret is missing
                HandlerInvocation.Result result = invocation.run(job(configuration), NOW.plusSeconds(60), () -> null);
                texts.add(result.report().toString());
                texts.add(String.valueOf(result.thrown()));
            }
        } finally {
            root.detachAppender(lines);
            root.setLevel(saved);
        }
        lines.list.forEach(event -> {
            texts.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                texts.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        });
        assertThat(lines.list).isNotEmpty();
        assertThat(texts).noneMatch(text -> text.contains(token) || text.contains(port));
    }

    @Test
    void jobsOfAnotherServedTypeAreNotCheckedAgainstTheDefinition() {
        ActionTypeId version2 = ActionTypeId.thirdParty(ActionCategory.BUILD, "Fake", "2");
        JobData other = TestJobData.of("job-2", JobQueue.of(version2, Region.US_EAST_1));
        HandlerInvocation.Result result = invocation(context -> JobOutcome.success(
                context.configuration().optionalString("Anything").orElse("free")))
                .run(other, NOW.plusSeconds(60), () -> null);
        assertThat(((Report.Success) result.report()).summary()).isEqualTo("free");
    }
}
