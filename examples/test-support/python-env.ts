import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './ensure-built.js';

export const PYTHON_DIR = join(ROOT, 'examples/python');

/**
 * A virtual environment with `examples/python/requirements.txt` installed from PyPI, kept under
 * `node_modules/.cache/tracehouse-pyenv` and reused while the requirements file is unchanged (a
 * marker holding its hash is written only after pip succeeded). Returns the venv's python.
 * Throws — so the test fails, not skips — with pip's own output when Python or PyPI is missing.
 */
export function ensurePythonEnv(): string {
  const requirements = join(PYTHON_DIR, 'requirements.txt');
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex').slice(0, 16);
  const venv = join(ROOT, 'node_modules/.cache/tracehouse-pyenv');
  const python = join(venv, 'bin/python');
  const marker = join(venv, '.tracehouse-requirements');
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8') === hash) return python;

  rmSync(venv, { recursive: true, force: true });
  mkdirSync(join(ROOT, 'node_modules/.cache'), { recursive: true });
  const base = process.env.PYTHON ?? 'python3';
  run(base, ['-m', 'venv', venv], `"${base} -m venv" failed: install Python 3.9+ with the venv module`);
  run(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '-r', requirements],
    `pip could not install ${requirements} from PyPI (network or index unavailable?)`,
  );
  writeFileSync(marker, hash);
  return python;
}

function run(command: string, args: string[], failure: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000 });
  if (result.error || result.status !== 0) {
    const detail =
      result.error?.message ?? `${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`${failure}:\n${detail}`);
  }
}
