import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateCommand } from './validate-command.js';

/*
 * `tracehouse validate --config FILE` in-process: the command's exit code and what it writes,
 * with nothing started.
 */
const testdata = fileURLToPath(new URL('testdata/', import.meta.url));

afterEach(() => {
  vi.restoreAllMocks();
});

async function validate(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const code = await validateCommand(['--config', file]);
  return { code, stdout, stderr };
}

describe('tracehouse validate', () => {
  it('accepts a config with the span and transform processors', async () => {
    const file = `${testdata}span-and-transform.yaml`;
    expect(await validate(file)).toEqual({ code: 0, stdout: `${file}: config is valid\n`, stderr: '' });
  });

  it('refuses a config naming the bad statement', async () => {
    const file = fileURLToPath(
      new URL('../processors/transform/testdata/invalid/flat-without-prefix.yaml', import.meta.url),
    );
    const { code, stdout, stderr } = await validate(file);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(
      'tracehouse: invalid configuration: processors.transform.trace_statements[0]: cannot infer the context of path attributes: prefix every path with its context (resource., scope., span. or spanevent., e.g. span.name, resource.attributes["k"]), or give the group a context\n',
    );
  });

  it('refuses a batch size that is not an exact whole number (1e99)', async () => {
    const file = fileURLToPath(
      new URL('../pipeline/testdata/invalid/batch-size-not-exact.yaml', import.meta.url),
    );
    expect(await validate(file)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'tracehouse: invalid configuration: processors.batch.send_batch_size: expected a whole number of at most 9007199254740991, got 1e+99\n',
    });
  });

  it('refuses a YAML alias bomb in one line, without a stack trace', async () => {
    const file = fileURLToPath(new URL('../pipeline/testdata/invalid/alias-bomb.yaml', import.meta.url));
    expect(await validate(file)).toEqual({
      code: 1,
      stdout: '',
      stderr: `tracehouse: invalid configuration: ${file}: invalid YAML: Excessive alias count indicates a resource exhaustion attack\n`,
    });
  });
});
