import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';
import * as zlib from 'node:zlib';

/**
 * Where the compiled code of the bundled command is kept between runs: the folder named by
 * `UET_TAG_COMPILE_CACHE`, or none when it is `off`; by default `uet-tag` in the user's
 * cache folder (`$XDG_CACHE_HOME`, else `~/.cache`).
 *
 * @param environment - the process's environment variables.
 * @returns the folder, or `undefined` for no cache (also when the user has no home).
 */
export function compileCacheFolder(environment: NodeJS.ProcessEnv): string | undefined {
  const chosen = environment.UET_TAG_COMPILE_CACHE;
  if (chosen === 'off') return undefined;
  if (chosen !== undefined && chosen !== '') return chosen;
  const cacheHome = environment.XDG_CACHE_HOME;
  if (cacheHome !== undefined && path.isAbsolute(cacheHome)) return path.join(cacheHome, 'uet-tag');
  let home: string;
  try {
    home = homedir();
  } catch {
    // No HOME and no entry in the user database (a container's arbitrary uid).
    return undefined;
  }
  return home === '' ? undefined : path.join(home, '.cache', 'uet-tag');
}

/**
 * What became of the code cache in a {@link requireWithCompileCache}: `off`, no folder (or
 * a Node without `zlib.crc32`); `made`, there was none, so one is written at exit; `used`,
 * V8 ran the code from it; `refused`, there was one that did not fit (another bundle's,
 * damaged, refused by V8, or not this user's alone), so it is made anew at exit.
 */
export type CompileCacheUse = 'off' | 'made' | 'used' | 'refused';

/** The crc32 of the bundle's source, then the crc32 of the cached data, as a cache file starts. */
const HEADER_BYTES = 8;

/**
 * Runs a CommonJS bundle as `require` would, with V8's code cache: the code compiled in an
 * earlier run is read back instead of compiling the file again, which is most of what
 * loading a large bundle costs. A cache file starts with the crc32 of the source it was
 * made from and of its own data, and is used only when both match (a damaged cache would
 * crash V8, which checks no more than its version and flags and the source's length) and
 * when it is a regular file of this user that no one else may write (it is run as code).
 * There is one file per bundle, Node version and set of Node options (a cache made under
 * other V8 flags is refused). A cache is written only when there was none that fitted, at
 * the process's exit, so that it holds every function that run compiled (a first run that
 * ends early leaves a smaller one, and later runs compile the rest as they go); to a new
 * file renamed into place, so that processes starting together never read half a file. A
 * cache that cannot be read or written only costs the compilation.
 *
 * The bundle must not use `import()`: code compiled this way has no module loader for it
 * (the build turns the bundle's dynamic imports into `require`).
 *
 * @param file - the absolute path of the bundle.
 * @param folder - the cache folder (see {@link compileCacheFolder}), or `undefined` for none.
 * @returns the bundle's `module.exports`, and what became of its cache.
 */
export function requireWithCompileCache(
  file: string,
  folder: string | undefined,
): { readonly exports: unknown; readonly cache: CompileCacheUse } {
  const source = readFileSync(file);
  if (folder === undefined || crc32 === undefined) {
    return { exports: run(compile(source, file, undefined), file), cache: 'off' };
  }
  const sum = crc32;
  const cacheFile = path.join(folder, cacheName(file, sum));
  const sourceSum = sum(source);
  const cached = readCache(cacheFile, sourceSum, sum);
  const script = compile(source, file, cached ?? undefined);
  const cache: CompileCacheUse =
    cached === undefined
      ? 'made'
      : cached === null || script.cachedDataRejected === true
        ? 'refused'
        : 'used';
  if (cache !== 'used') process.once('exit', () => writeCache(cacheFile, sourceSum, sum, script));
  return { exports: run(script, file), cache };
}

/** The module's code as Node wraps it, its own line first, which `lineOffset` takes out of stacks. */
function compile(source: Buffer, file: string, cachedData: Buffer | undefined): Script {
  const wrapped = `(function (exports, require, module, __filename, __dirname) {\n${source.toString('utf8')}\n})`;
  return new Script(wrapped, { filename: file, lineOffset: -1, cachedData });
}

/** Runs the compiled module as `require` would, and returns its `module.exports`. */
function run(script: Script, file: string): unknown {
  const module = { exports: {} as unknown, id: file, filename: file };
  const moduleFunction = script.runInThisContext() as ModuleFunction;
  moduleFunction.call(
    module.exports,
    module.exports,
    createRequire(file),
    module,
    file,
    path.dirname(file),
  );
  return module.exports;
}

/** A checksum of bytes (`zlib.crc32`, Node 20.15 and later; before it, no cache). */
type Crc32 = (data: Uint8Array) => number;
const crc32 = (zlib as { crc32?: Crc32 }).crc32;

/** A CommonJS module's code as Node wraps it: a function of the module's own names. */
type ModuleFunction = (
  this: unknown,
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

/** The bundle's name, with a checksum of what V8's flags hash covers: the Node and its options. */
function cacheName(file: string, sum: Crc32): string {
  const setting = [process.version, ...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0');
  return `${path.basename(file)}-${(sum(Buffer.from(setting)) >>> 0).toString(16)}.v8`;
}

/**
 * The cached data, when the file is this user's alone and made from this source and
 * whole; `null` when there is a file that does not fit; `undefined` when there is none.
 */
function readCache(cacheFile: string, sourceSum: number, sum: Crc32): Buffer | null | undefined {
  let descriptor: number;
  try {
    descriptor = openSync(cacheFile, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : null;
  }
  try {
    const stats = fstatSync(descriptor);
    const owner = process.getuid?.();
    const isPrivate = (stats.mode & 0o022) === 0 && (owner === undefined || stats.uid === owner);
    if (!stats.isFile() || !isPrivate || stats.size <= HEADER_BYTES) return null;
    const contents = readFileSync(descriptor);
    const data = contents.subarray(HEADER_BYTES);
    const fits =
      contents.readUInt32LE(0) === sourceSum >>> 0 && contents.readUInt32LE(4) === sum(data) >>> 0;
    return fits ? data : null;
  } catch {
    return null;
  } finally {
    closeSync(descriptor);
  }
}

function writeCache(cacheFile: string, sourceSum: number, sum: Crc32, script: Script): void {
  const data = script.createCachedData();
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(sourceSum >>> 0, 0);
  header.writeUInt32LE(sum(data) >>> 0, 4);
  // A name no one can have put there first: `wx` refuses to open what exists, links too.
  const partial = `${cacheFile}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`;
  try {
    mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    writeFileSync(partial, Buffer.concat([header, data]), { mode: 0o600, flag: 'wx' });
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
