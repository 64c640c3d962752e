/**
 * The CodePipeline job calls, third-party and custom behind one seam. Not API: it may change or go
 * away in any release.
 */
package dev.pipelineworker.internal.channel;
