// Types of build-bundle.mjs, for the tests that build the bundle to inspect how it is cut.
import type {BuildResult} from 'esbuild';

export declare const BUNDLE_ENTRY: string;
export declare const BRIDGES_ENTRY: string;
export declare const BUNDLE_OUTDIR: string;
export declare function buildBundle(options?: {outdir?: string; write?: boolean; metafile?: boolean}): Promise<BuildResult>;
