import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = new URL('../../', import.meta.url).pathname;

/**
 * Node 20 cannot run TypeScript, and vitest's module runner does not reach worker threads, so a
 * test that runs processor workers compiles the worker (and what it imports) into a temporary
 * folder first: independent of the state of dist/ and of half-edited code elsewhere in the tree,
 * as src/wal/crash.test.ts does for its child. The folder links the repository's node_modules so
 * that pino resolves. Returns the entry to pass as `processorWorkers.entry`, and a cleanup.
 */
export async function compileProcessorWorker(): Promise<{ entry: URL; remove: () => Promise<void> }> {
  const work = await mkdtemp(join(tmpdir(), 'processor-worker-'));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [
    ...['--outDir', work, '--rootDir', root, '--module', 'nodenext', '--moduleResolution', 'nodenext'],
    ...['--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node'],
    join(root, 'src', 'pipeline', 'worker-offload', 'processor-worker.ts'),
  ];
  await promisify(execFile)(process.execPath, [tsc, ...args], { cwd: root });
  await writeFile(join(work, 'package.json'), '{ "type": "module" }');
  await symlink(join(root, 'node_modules'), join(work, 'node_modules'));
  return {
    entry: pathToFileURL(join(work, 'src', 'pipeline', 'worker-offload', 'processor-worker.js')),
    remove: () => rm(work, { recursive: true, force: true }),
  };
}
