/** Builds the SPA with Vite when a source is newer than the last build; true when it built. */
export function buildIfStale(): boolean;
/** Bundles the server when a source is newer than dist/server/main.mjs; true when it built. */
export function buildServerIfStale(): Promise<boolean>;
