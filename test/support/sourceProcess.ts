/**
 * The arguments that make `node` run a TypeScript file of this repository as the package
 * would run it, with the workspace packages resolved to their sources (the
 * `uet-tag-source` export condition) and TypeScript loaded by tsx.
 *
 * @example
 * ```ts
 * spawn(process.execPath, [...sourceNodeArgs('packages/uet-tag/src/cli/bin.ts'), 'monitor']);
 * ```
 */
export function sourceNodeArgs(script: string): string[] {
  return ['--conditions=uet-tag-source', '--import', 'tsx', script];
}

/** The CLI's entry point, relative to the repository's root. */
export const CLI_SOURCE = 'packages/uet-tag/src/cli/bin.ts';
