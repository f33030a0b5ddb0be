import { readdirSync, readFileSync } from 'node:fs';

/** Peak resident memory of a process tree, in bytes, split by kind of process. */
export interface TreeMemoryPeak {
  /** The highest sum over the whole tree seen in one sample. */
  readonly total: number;
  /** The root process's own peak. */
  readonly self: number;
  /** The highest sum of the Lambda containers (`bootstrap.mjs`) in one sample. */
  readonly lambdas: number;
  /** The highest sum of ffmpeg and ffprobe processes in one sample. */
  readonly ffmpeg: number;
  /** The most processes the tree had at once. */
  readonly processes: number;
}

interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly rss: number;
  readonly kind: 'lambda' | 'ffmpeg' | 'other';
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    return {
      pid,
      ppid: Number(fields[1]),
      rss: rssKb * 1024,
      kind: cmdline.includes('bootstrap.mjs')
        ? 'lambda'
        : name === 'ffmpeg' || name === 'ffprobe'
          ? 'ffmpeg'
          : 'other',
    };
  } catch {
    // The process ended between the listing and the read.
    return undefined;
  }
}

/** Samples the resident memory (VmRSS) of a process and all its descendants from /proc. */
export class ProcessTreeMemory {
  private timer: NodeJS.Timeout | undefined;
  private peak: TreeMemoryPeak = { total: 0, self: 0, lambdas: 0, ffmpeg: 0, processes: 0 };

  constructor(private readonly root: number) {}

  start(intervalMs: number): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Stops sampling (idempotent) and returns the peaks. */
  stop(): TreeMemoryPeak {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.sample();
    }
    return this.peak;
  }

  sample(): void {
    const all = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map((name) => readProcess(Number(name)))
      .filter((info): info is ProcessInfo => info !== undefined);
    const children = new Map<number, ProcessInfo[]>();
    for (const info of all) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
    const tree: ProcessInfo[] = [];
    const rootInfo = all.find((info) => info.pid === this.root);
    if (!rootInfo) return;
    const pending = [rootInfo];
    while (pending.length > 0) {
      const next = pending.pop() as ProcessInfo;
      tree.push(next);
      pending.push(...(children.get(next.pid) ?? []));
    }
    const sum = (kind: ProcessInfo['kind']) =>
      tree.filter((info) => info.kind === kind).reduce((total, info) => total + info.rss, 0);
    this.peak = {
      total: Math.max(
        this.peak.total,
        tree.reduce((total, info) => total + info.rss, 0),
      ),
      self: Math.max(this.peak.self, rootInfo.rss),
      lambdas: Math.max(this.peak.lambdas, sum('lambda')),
      ffmpeg: Math.max(this.peak.ffmpeg, sum('ffmpeg')),
      processes: Math.max(this.peak.processes, tree.length),
    };
  }
}
