/** The outcome journal's implementations. Not API: it may change or go away in any release. */
package dev.pipelineworker.internal.journal;
