import pkg from '../../../package.json' with { type: 'json' };

/** The package version; it reaches browsers at connect so open pages reload after an upgrade. */
export const VERSION: string = pkg.version;
