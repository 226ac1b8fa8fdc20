import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU time (user + system) process `pid` has used so far, in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the ")" of the command name: utime is the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

/** Resident set size of process `pid` now, in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
}

/** CPU use of several processes over a window, in % of one core. */
export class CpuWindow {
  private readonly start: Map<string, number>;
  private readonly began = performance.now();

  constructor(private readonly pids: Record<string, number>) {
    this.start = new Map(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  }

  /** % of one core each process used since construction. */
  read(): Record<string, number> {
    const wall = performance.now() - this.began;
    return Object.fromEntries(
      Object.entries(this.pids).map(([name, pid]) => [
        name,
        ((cpuMs(pid) - this.start.get(name)!) / wall) * 100,
      ]),
    );
  }
}

/** The 1-minute load average, for the machine-state line. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
