import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';

/**
 * Where the compiled code of the bundled command is kept between runs: the folder named by
 * `UET_TAG_COMPILE_CACHE`, or none when it is `off`; by default `uet-tag` in the user's
 * cache folder (`$XDG_CACHE_HOME`, else `~/.cache`), which no other user can write to:
 * compiled code is run as it is, so it must come from no one but this user.
 *
 * @param environment - the process's environment variables.
 * @returns the folder, or `undefined` for no cache.
 */
export function compileCacheFolder(environment: NodeJS.ProcessEnv): string | undefined {
  const chosen = environment.UET_TAG_COMPILE_CACHE;
  if (chosen === 'off') return undefined;
  if (chosen !== undefined && chosen !== '') return chosen;
  const cacheHome = environment.XDG_CACHE_HOME;
  if (cacheHome !== undefined && path.isAbsolute(cacheHome)) return path.join(cacheHome, 'uet-tag');
  const home = homedir();
  return home === '' ? undefined : path.join(home, '.cache', 'uet-tag');
}

/**
 * Runs a CommonJS bundle as `require` would and returns its exports, with V8's code cache:
 * the code compiled in an earlier run is read back instead of compiling the file again,
 * which is most of what loading a large bundle costs. The cache file starts with the hash
 * of the bundle it was made from and is used only for a bundle of that hash; V8 checks the
 * rest (its own version and flags, the source's length) and refuses a cache that does not
 * fit. A cache is written only when there was none that fitted, at the process's exit, so
 * that it holds every function the run compiled; to a temporary file renamed into place,
 * so that processes starting together never read half a file. A cache that cannot be read
 * or written only costs the compilation.
 *
 * The bundle must not use `import()`: code compiled this way has no module loader for it
 * (the build turns the bundle's dynamic imports into `require`).
 *
 * @param file - the absolute path of the bundle.
 * @param hash - the hash of the bundle's contents (hex), which the build computes.
 * @param folder - the cache folder (see `compileCacheFolder`), or `undefined` for none.
 * @returns the bundle's `module.exports`.
 */
export function requireWithCompileCache(
  file: string,
  hash: string,
  folder: string | undefined,
): unknown {
  const source = readFileSync(file, 'utf8');
  const cacheFile =
    folder === undefined
      ? undefined
      : path.join(folder, `${path.basename(file)}-${process.version}.v8`);
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile, hash);
  const script = new Script(wrapAsModule(source), { filename: file, cachedData });
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true)) {
    process.once('exit', () => writeCache(cacheFile, hash, script));
  }
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as ModuleFunction;
  run(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/** A CommonJS module's code as Node wraps it: a function of the module's own names. */
type ModuleFunction = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

function wrapAsModule(source: string): string {
  const body = source.startsWith('#!') ? `//${source}` : source;
  return `(function (exports, require, module, __filename, __dirname) {${body}\n})`;
}

function readCache(cacheFile: string, hash: string): Buffer | undefined {
  let contents: Buffer;
  try {
    contents = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const header = Buffer.from(hash, 'latin1');
  const fits =
    contents.length > header.length && contents.subarray(0, header.length).equals(header);
  return fits ? contents.subarray(header.length) : undefined;
}

function writeCache(cacheFile: string, hash: string, script: Script): void {
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    writeFileSync(
      partial,
      Buffer.concat([Buffer.from(hash, 'latin1'), script.createCachedData()]),
      {
        mode: 0o600,
      },
    );
    renameSync(partial, cacheFile);
  } catch {
    // A read-only or missing home folder: the next run compiles again, nothing else.
    removeIfThere(partial);
  }
}

function removeIfThere(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Its folder is not there or not a folder: then neither is the file.
  }
}
