package dev.vessel.image.archive;

import dev.vessel.image.oci.Digest;
import java.io.InputStream;

/** Where an archive's files go while it is read: the staging area of the load. */
public interface BlobSink {
    /** Stores {@code in} as a blob, verifying {@code expected} if not null; returns its digest. */
    Digest put(InputStream in, Digest expected, long size);

    /** A whole blob; only for small JSON documents. */
    byte[] read(Digest digest);

    InputStream open(Digest digest);

    long size(Digest digest);
}
