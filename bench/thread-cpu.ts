import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports per-thread CPU in USER_HZ ticks, 100 a second on every mainstream architecture. */
const MS_PER_TICK = 10;

/**
 * CPU time of this process split by who spent it, from /proc/self/task/<tid>/stat: the JavaScript
 * main thread; Node's other threads (named `node` on Node 20: V8's GC and compiler helpers and
 * libuv's pool, which does the file system work and makes chdb's async query calls, so part of
 * ClickHouse's work is counted here); and every other thread, which in a process with chdb are
 * ClickHouse's own (query pipeline, merges, background pools). `exited` is CPU of threads that
 * have ended (the process total minus the live threads).
 */
export interface ThreadCpu {
  mainMs: number;
  /** Node's threads other than the main one: V8 helpers and the libuv pool. */
  nodeHelpersMs: number;
  /** Threads chdb started (ClickHouse's pools). */
  engineMs: number;
  /**
   * engineMs by thread name, digits dropped (`MergeMutate`, `QueryPipelineEx`, …): where the
   * engine's CPU goes, merges against inserts. Live threads only.
   */
  engineByName: Record<string, number>;
  exitedMs: number;
  totalMs: number;
}

export function threadCpu(): ThreadCpu {
  const out: ThreadCpu = {
    mainMs: 0,
    nodeHelpersMs: 0,
    engineMs: 0,
    engineByName: {},
    exitedMs: 0,
    totalMs: 0,
  };
  const pid = String(process.pid);
  let live = 0;
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return { mainMs: NaN, nodeHelpersMs: NaN, engineMs: NaN, engineByName: {}, exitedMs: NaN, totalMs: NaN };
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    // Fields after the name start at field 3 (state); utime and stime are fields 14 and 15.
    const fields = stat.slice(close + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
    live += ms;
    if (tid === pid) out.mainMs += ms;
    else if (name === 'node' || name.startsWith('V8 ') || name.startsWith('libuv')) out.nodeHelpersMs += ms;
    else {
      out.engineMs += ms;
      const group = name.replace(/\d+/g, '');
      out.engineByName[group] = (out.engineByName[group] ?? 0) + ms;
    }
  }
  const usage = process.cpuUsage();
  out.totalMs = (usage.user + usage.system) / 1000;
  out.exitedMs = Math.max(0, out.totalMs - live);
  return out;
}

/** `after − before`, field by field. */
export function threadCpuDelta(before: ThreadCpu, after: ThreadCpu): ThreadCpu {
  return {
    mainMs: after.mainMs - before.mainMs,
    nodeHelpersMs: after.nodeHelpersMs - before.nodeHelpersMs,
    engineMs: after.engineMs - before.engineMs,
    engineByName: Object.fromEntries(
      Object.entries(after.engineByName).map(([name, ms]) => [name, ms - (before.engineByName[name] ?? 0)]),
    ),
    // Threads may end between the reads: exited CPU only grows.
    exitedMs: Math.max(0, after.exitedMs - before.exitedMs),
    totalMs: after.totalMs - before.totalMs,
  };
}
