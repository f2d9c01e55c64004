import { readFileSync } from 'node:fs';

/** Linux reports /proc/stat in USER_HZ ticks, 100 a second on every mainstream architecture. */
const MS_PER_TICK = 10;

/**
 * CPU time spent by every process on the machine (user, nice, system, irq, softirq, steal) since
 * boot, in ms; NaN where /proc/stat is missing. Sampled around a measurement and compared with the
 * benchmark's own CPU time, it tells how much other work shared the cores — on a shared 2-core
 * machine that is the first thing to know before trusting a figure.
 */
export function machineBusyMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + steal) * MS_PER_TICK;
  } catch {
    return NaN;
  }
}

/** Own CPU time (user + system) of this process since it started, in ms. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
