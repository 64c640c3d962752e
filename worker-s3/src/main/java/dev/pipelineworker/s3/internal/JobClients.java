package dev.pipelineworker.s3.internal;

import software.amazon.awssdk.services.s3.S3AsyncClient;

/** One job's S3 clients, both signing with that job's credentials only. */
public record JobClients(S3AsyncClient reads, S3AsyncClient writes) implements AutoCloseable {

    /** Closes both clients; the shared HTTP client they use stays open. */
    @Override
    public void close() {
        try {
            reads.close();
        } finally {
            writes.close();
        }
    }
}
