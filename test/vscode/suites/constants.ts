// Names the suites share.
export const EXTENSION_ID = "hybrid-env.hybrid-env";

/** How long a suite watches a state that must not change (activation that must not happen). */
export const QUIET_PERIOD_MS = 3_000;
