import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Sources whose build the process tests run: the examples and the CLI's entry and demo command. */
function sources(): string[] {
  const found: string[] = [join(ROOT, 'src/cli/main.ts'), join(ROOT, 'src/cli/demo-command.ts')];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'test-support' && entry.name !== 'python') walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) found.push(path);
    }
  };
  walk(join(ROOT, 'examples'));
  return found;
}

/** Sources with no build output, or newer than it. */
function stale(): string[] {
  return sources().filter((source) => {
    const out = join(ROOT, 'dist', relative(ROOT, source).replace(/\.ts$/, '.js'));
    return !existsSync(out) || statSync(out).mtimeMs < statSync(source).mtimeMs;
  });
}

/**
 * Node 20 cannot run TypeScript, so tests that start the services (or the `tracehouse` binary) as
 * processes run the build under `dist/`. `npm test` builds first; a lone `vitest run` on a changed
 * source builds here. A lock directory keeps test files running in parallel from compiling at
 * the same time. tsc's exit code is not trusted alone: it is non-zero for a type error anywhere in
 * the project, yet still writes every file; what matters is that our outputs are now fresh.
 */
export function ensureBuilt(): void {
  if (stale().length === 0) return;
  const lock = join(ROOT, 'node_modules/.cache/tracehouse-build.lock');
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; a lock older than the deadline is from a killed run.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (Date.now() > deadline || age > 180_000) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (stale().length === 0) return;
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    const left = stale();
    if (left.length > 0)
      throw new Error(`build did not produce ${left.join(', ')}:\n${tsc.stdout}${tsc.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
