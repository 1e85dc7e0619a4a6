// Types of size.mjs, for the size test.
import type {BuildResult, Metafile, OutputFile} from 'esbuild';

export declare const BUNDLE_AIM: number;
export declare const CORE_AIM: number;
export declare const CORE_ENTRY: string;
export declare function gz(bytes: Uint8Array): number;
export declare function measureBundle(): Promise<{files: Map<string, OutputFile>; outputs: Record<string, Metafile['outputs'][string]>; main: Uint8Array}>;
export declare function buildCore(options?: Record<string, unknown>): Promise<BuildResult>;
export declare function measureCore(): Promise<{min: Uint8Array; esbuild: Uint8Array}>;
