import { readFileSync } from 'node:fs';

/** Instructions executed by one thread in one callgrind dump, in all and per function (self). */
export interface InstructionCount {
  total: number;
  /** Self cost by `function [object]`. */
  byFunction: Map<string, number>;
}

/**
 * Reads a callgrind output file (`--tool=callgrind`, event `Ir`): the total and each function's
 * self cost (the costs on `calls=` lines are the callee's inclusive cost, left out).
 */
export function readCallgrindFile(path: string): InstructionCount {
  const names = new Map<string, string>();
  const objects = new Map<string, string>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let object = '';
  let fn = '';
  let callCostNext = false;
  const named = (table: Map<string, string>, value: string): string => {
    const match = /^\((\d+)\)(?: (.*))?$/.exec(value);
    if (!match) return value;
    if (match[2] !== undefined) table.set(match[1], match[2]);
    return table.get(match[1]) ?? value;
  };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('ob=')) object = named(objects, line.slice(3));
    else if (line.startsWith('fn='))
      fn = `${named(names, line.slice(3))} [${object}]`;
    else if (line.startsWith('cfn=')) named(names, line.slice(4));
    else if (line.startsWith('cob=')) named(objects, line.slice(4));
    else if (line.startsWith('calls=')) callCostNext = true;
    else if (/^[+\-*\d]/.test(line)) {
      const cost = Number(line.split(' ')[1] ?? 0);
      if (callCostNext) callCostNext = false;
      else if (cost > 0) {
        byFunction.set(fn, (byFunction.get(fn) ?? 0) + cost);
        total += cost;
      }
    }
  }
  return { total, byFunction };
}

/** Where instructions go, coarsely: what a difference between two apps is made of. */
export const INSTRUCTION_KINDS = [
  {
    key: 'megamorphic',
    label:
      'megamorphic obj[key] (AsyncLocalStorage copies its store onto every promise)',
  },
  { key: 'gc', label: 'garbage collector' },
  { key: 'js', label: 'JavaScript (JIT-compiled code)' },
  { key: 'runtime', label: "V8's runtime and inline caches" },
  { key: 'builtins', label: 'other builtins (promises, calls, strings)' },
  { key: 'rest', label: 'node, libuv, libc and the rest' },
] as const;

/** The key of one of `INSTRUCTION_KINDS`. */
export type InstructionKind = (typeof INSTRUCTION_KINDS)[number]['key'];

/** The kind of a function of a callgrind profile of node. */
export function instructionKindOf(fn: string): InstructionKind {
  if (/Builtins_Keyed(Load|Store)IC_Megamorphic/.test(fn)) return 'megamorphic';
  if (
    /Scaveng|Heap::|heap::|Marking|MarkCompact|Sweep|Evacuat|Pretenur|FreeList|PagedSpace|SizeFromMap|IterateMaybeWeakPointers|AllocateRaw|NewSpace|Factory::/.test(
      fn,
    )
  )
    return 'gc';
  if (fn.endsWith('[???]')) return 'js';
  if (/v8::internal::|Builtins_\w*IC/.test(fn)) return 'runtime';
  if (fn.includes('Builtins_')) return 'builtins';
  return 'rest';
}

/** `count`'s instructions per request, by kind. */
export function perRequestByKind(
  count: InstructionCount,
  requests: number,
): Record<InstructionKind, number> {
  const byKind = Object.fromEntries(
    INSTRUCTION_KINDS.map(({ key }) => [key, 0]),
  ) as Record<InstructionKind, number>;
  for (const [fn, cost] of count.byFunction)
    byKind[instructionKindOf(fn)] += cost / requests;
  return byKind;
}
