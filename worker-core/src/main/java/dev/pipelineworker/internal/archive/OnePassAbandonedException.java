package dev.pipelineworker.internal.archive;

import dev.pipelineworker.internal.SharedInternal;
import java.io.IOException;

/**
 * A one-pass extraction gave up for a reason the file-based path may not share: a local header or an
 * entry's data disagreed with the central directory, the data did not inflate, or the body ended or
 * failed before the last entry. The caller falls back to downloading the archive and extracting the file.
 *
 * <p>Why the files go: the file-based path then extracts what the archive really holds, and a file the
 * first pass wrote from a header that lied (a name the directory does not list at that offset) must not
 * survive beside it. So everything the first pass created (files, symlinks, directories) has been
 * deleted, newest first, before this is thrown. The guarantee is weaker for what was there before: a
 * file already in the target that an entry of the same name replaced is gone, not restored, as it would
 * be after today's extraction of that archive; and a deletion that itself fails (the target changed under
 * the extraction) is thrown instead of this exception, failing the job rather than falling back over
 * leftovers. A refusal (a limit or a path rule) is never this exception: it fails the job as it would
 * from a file.
 */
@SharedInternal
public final class OnePassAbandonedException extends IOException {

    private static final long serialVersionUID = 1L;

    public OnePassAbandonedException(String reason) {
        super(reason);
    }

    public OnePassAbandonedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
