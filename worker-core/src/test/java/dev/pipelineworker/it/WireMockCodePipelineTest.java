package dev.pipelineworker.it;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the wire-level tests: WireMock stands in for CodePipeline, {@link #cp} stubs it and
 * starts workers, and after each test the workers are closed and every result they sent is checked
 * against the model's limits. A subclass's own {@code @AfterEach} runs before this one.
 */
abstract class WireMockCodePipelineTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    CodePipelineWireMock cp;

    @BeforeEach
    final void stubCodePipeline() {
        cp = new CodePipelineWireMock(wm);
    }

    @AfterEach
    final void closeWorkersAndCheckTheirResults() {
        cp.close();
        cp.assertAllReportsWithinModelLimits();
    }
}
