/**
 * The action type as code: an {@link dev.pipelineworker.actiontype.ActionTypeDefinition} declared next to the
 * handler, checked against the CodePipeline API's limits when it is built, handed to
 * {@link dev.pipelineworker.JobWorker.Builder#actionType(ActionTypeDefinition)} so that jobs are checked against
 * it before the handler runs, and turned into the registration files by
 * {@link dev.pipelineworker.actiontype.RegistrationFiles}.
 */
package dev.pipelineworker.actiontype;
