/** The implementation of worker-events; not API, it may change in any release. */
package dev.pipelineworker.events.internal;
