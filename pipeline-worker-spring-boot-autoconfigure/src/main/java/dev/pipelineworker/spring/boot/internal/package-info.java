/**
 * How the starter builds, runs, reports on and instruments the workers. Not API: anything here may change in any
 * release; configure the starter through {@code pipeline-worker.*} properties and the beans of
 * {@code dev.pipelineworker.spring.boot}.
 */
package dev.pipelineworker.spring.boot.internal;
