package io.cdcmarts.capture;

import io.cdcmarts.common.PgDsn;

/** Capture against the shared PostgreSQL 18, which streams stored generated columns itself. */
class CaptureIT extends AbstractCaptureIT {

    @Override
    protected PgDsn server() {
        return infra.postgres();
    }

    @Override
    protected String prefix() {
        return "capture-it";
    }
}
