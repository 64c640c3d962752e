/** Test support: {@link dev.pipelineworker.spring.boot.test.AutoConfigurePipelineWorkerEmulator}. */
package dev.pipelineworker.spring.boot.test;
