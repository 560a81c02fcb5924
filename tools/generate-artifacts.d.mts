// Types for tools/generate-artifacts.mjs (a plain Node script), for the tutorial's tests.
export declare const ROOT: string;
export declare const CONTAINERS: readonly string[];
export interface FolderPlan {
  readonly protocolFile: string;
  readonly protocol: string;
  /** Path relative to the folder → text: the generated modules and the .mmd diagrams. */
  readonly files: ReadonlyMap<string, string>;
  /** The .svg path relative to the folder → the .mmd text it draws (also of extra .mmd files in diagrams/). */
  readonly svgs: ReadonlyMap<string, string>;
}
export declare function defaultFolders(root?: string): string[];
export declare function protocolFile(folder: string, required?: boolean): string | undefined;
export declare function sha256(text: string): string;
export declare function svgStamp(mmdName: string, mmdText: string): string;
export declare function stampedHash(svgText: string): string | undefined;
export declare function planFolder(folder: string): FolderPlan;
export declare function checkFolder(folder: string, plan?: FolderPlan, root?: string): string[];
export declare function fixCommand(folders: readonly string[]): string;
export declare function writeFolders(
  folders: readonly string[],
  options?: { force?: boolean; codeOnly?: boolean; root?: string; log?: (line: string) => void },
): Promise<{ written: number; rendered: number; stale: string[] }>;
