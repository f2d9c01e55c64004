import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { formatFixed, renderTable } from './table.js';

/*
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`) as the functions with the most self time,
 * plus the share of samples spent under some functions of interest. For RESULTS.md:
 *
 *   taskset -c 0 node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/decode-bench.js --only ours
 *   node dist/bench/profile-summary.js /tmp/prof/*.cpuprofile --under decodeExportTraceServiceRequest
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '15' },
    under: { type: 'string', default: 'decodeExportTraceServiceRequest' },
  },
});
if (positionals.length !== 1)
  throw new Error('usage: profile-summary <file.cpuprofile> [--top N] [--under fn1,fn2]');
const interesting = (args.under ?? '').split(',').filter((name) => name !== '');
const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as CpuProfile; // V8's documented format

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);

const selfSamples = new Map<string, number>();
const under = interesting.map(() => 0);
for (const id of profile.samples) {
  const key = label(byId.get(id));
  selfSamples.set(key, (selfSamples.get(key) ?? 0) + 1);
  interesting.forEach((name, i) => {
    if (hasAncestor(id, name)) under[i]++;
  });
}
const total = profile.samples.length;
const msPerSample = (profile.endTime - profile.startTime) / 1000 / total;
const top = [...selfSamples].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top));
process.stdout.write(
  renderTable(
    `Self time, ${basename(positionals[0])}`,
    ['function (compiled file:line)', 'self %', 'self ms'],
    top.map(([key, n]) => [key, `${formatFixed((100 * n) / total, 1)}%`, formatFixed(n * msPerSample, 0)]),
    [
      `${total} samples over ${formatFixed((profile.endTime - profile.startTime) / 1e6, 1)} s`,
      ...interesting.map(
        (name, i) => `${formatFixed((100 * under[i]) / total, 1)}% of samples have ${name} on the stack`,
      ),
      '(garbage collector), (idle) and (program) are not attributed to any stack',
    ],
  ),
);

function label(node: ProfileNode | undefined): string {
  if (!node) return '(unknown)';
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url === '' ? '' : ` ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  return `${functionName === '' ? '(anonymous)' : functionName}${where}`;
}

function hasAncestor(id: number, functionName: string): boolean {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    if (byId.get(at)?.callFrame.functionName === functionName) return true;
  }
  return false;
}
