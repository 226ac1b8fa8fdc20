/** Builds the SPA with Vite when a source is newer than the last build; true when it built. */
export function buildIfStale(): boolean;
