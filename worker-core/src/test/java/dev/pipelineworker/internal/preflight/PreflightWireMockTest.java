package dev.pipelineworker.internal.preflight;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of the preflight tests that call AWS: WireMock stands in for CodePipeline and STS, {@link #aws} stubs it and
 * runs the preflight, and its clients are closed after each test. A subclass's own {@code @BeforeEach} runs after
 * this one's, so it may stub on {@link #aws}.
 */
abstract class PreflightWireMockTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    PreflightWireMock aws;

    @BeforeEach
    final void stubAws() {
        aws = new PreflightWireMock(wm);
    }

    @AfterEach
    final void closeClients() {
        aws.close();
    }
}
