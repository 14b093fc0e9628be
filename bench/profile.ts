import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a process spent its CPU: top self-time functions and shares by package. */
export interface ProfileSummary {
  /** Sampled time in ms, idle excluded. */
  busyMs: number;
  /** Top functions by self time: name, location and share of busy time. */
  functions: Array<{ name: string; where: string; share: number }>;
  /** Share of busy time per package (`node:` internals, `nest-dance`, `typeorm`...). */
  packages: Array<{ name: string; share: number }>;
}

/** A fresh directory for CPU profiles (see `BenchChild.profile`). */
export function cpuProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'nd-bench-prof-'));
}

/**
 * Reads the profiles a process wrote into `dir`, summarizes them and removes `dir` (after
 * copying them into `$BENCH_KEEP_PROFILES`, when set, for a closer look in DevTools).
 */
export function summarizeProfileDir(dir: string, top = 12): ProfileSummary {
  try {
    if (process.env.BENCH_KEEP_PROFILES)
      cpSync(dir, process.env.BENCH_KEEP_PROFILES, { recursive: true });
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    if (!files.length) throw new Error(`no .cpuprofile in ${dir}`);
    return summarize(
      files.map(
        (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile,
      ),
      top,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarize(profiles: CpuProfile[], top: number): ProfileSummary {
  const byFunction = new Map<
    string,
    { name: string; where: string; us: number }
  >();
  const byPackage = new Map<string, number>();
  let busy = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
      if (functionName === '(idle)') return;
      const us = profile.timeDeltas[i] ?? 0;
      busy += us;
      const where = url ? `${shortPath(url)}:${lineNumber + 1}` : '';
      const name = functionName || '(anonymous)';
      const key = `${name}@${where}`;
      const entry = byFunction.get(key) ?? { name, where, us: 0 };
      entry.us += us;
      byFunction.set(key, entry);
      const pkg = packageOf(url, name);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    });
  }
  const share = (us: number) => (busy ? us / busy : 0);
  return {
    busyMs: busy / 1000,
    functions: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(({ name, where, us }) => ({ name, where, share: share(us) })),
    packages: [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([name, us]) => ({ name, share: share(us) })),
  };
}

function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) return path.slice(modules + 'node_modules/'.length);
  const bench = path.indexOf('/dist/bench/');
  return bench >= 0 ? path.slice(bench + '/dist/bench/'.length) : path;
}

/** The package a frame belongs to: a node_modules package, nest-dance, the bench, node or V8. */
function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : 'V8 / native';
  if (url.startsWith('node:')) return 'node (core)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (url.includes('/libs/oauth-consumer/')) return 'nest-dance';
  if (url.includes('/bench/')) return 'bench app';
  return url;
}
