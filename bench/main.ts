import './register-paths';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RUN_ID } from './bench-env';
import { REPO_ROOT } from './register-paths';
import { benchmarksMarkdown, ratioChartSvg } from './report';
import { RunOptions, ScenarioReport } from './scenario';
import { cleanUpRun, ensureServices } from './services';
import { danceScenario } from './dance.scenario';
import { instructionsScenario } from './instructions.scenario';
import { memoryScenario } from './memory.scenario';
import { sideBySideScenario } from './side-by-side.scenario';
import { stampedeScenario } from './stampede.scenario';
import { storageReadScenario } from './storage-read.scenario';
import { tokenReadScenario } from './token-read.scenario';

const SCENARIOS: Record<
  string,
  (options: RunOptions) => Promise<ScenarioReport>
> = {
  'side-by-side': sideBySideScenario,
  instructions: instructionsScenario,
  'token-read': tokenReadScenario,
  'storage-read': storageReadScenario,
  stampede: stampedeScenario,
  dance: danceScenario,
  memory: memoryScenario,
};

/** What a run measured, as saved in dist/bench/last-run.json. */
interface SavedRun {
  started: string;
  seconds: number;
  command: string;
  reports: ScenarioReport[];
}

const HELP = `npm run bench -- [options]
  --only <ids>        scenarios to run, comma-separated (default: all): ${Object.keys(SCENARIOS).join(', ')}
  --variants <names>  only these variants of the chosen scenarios (e.g. memory,fastify-memory; dance: express,fastify)
  --rounds <n>        interleaved rounds per comparison (default 5)
  --seconds <s>       length of one round (default 3)
  --out <dir>         where benchmarks.md and benchmarks.svg go (default docs)
  --json <file>       also write the raw numbers as JSON (every run also writes last-run.json, for
                      --report: in dist/bench, or in the --out folder when one is given)
  --report <file>     run nothing: write the report again from such a JSON (e.g. after editing bench/notes.md)
  --no-profile        do not profile the variants that miss a target`;

/** Where the report goes unless `--out` says otherwise. */
const DEFAULT_OUT = join(REPO_ROOT, 'docs');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      variants: { type: 'string' },
      rounds: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '3' },
      out: { type: 'string', default: DEFAULT_OUT },
      json: { type: 'string' },
      report: { type: 'string' },
      'no-profile': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return console.log(HELP);
  const list = (text?: string) =>
    text
      ? text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  const only = list(values.only);
  const unknown = only.filter((id) => !SCENARIOS[id]);
  if (unknown.length)
    throw new Error(`unknown scenario(s) ${unknown.join(', ')}\n${HELP}`);
  const options: RunOptions = {
    rounds: Math.max(1, Number(values.rounds)),
    seconds: Math.max(1, Number(values.seconds)),
    profile: !values['no-profile'],
    variants: list(values.variants),
  };

  // A partial run into another folder (--out) never replaces the full run's record.
  const lastRun = join(
    values.out === DEFAULT_OUT
      ? join(REPO_ROOT, 'dist/bench')
      : resolve(values.out),
    'last-run.json',
  );
  let run: SavedRun;
  if (values.report) {
    run = JSON.parse(readFileSync(resolve(values.report), 'utf8')) as SavedRun;
  } else {
    const started = new Date();
    await ensureServices();
    const reports: ScenarioReport[] = [];
    try {
      for (const [id, scenario] of Object.entries(SCENARIOS)) {
        if (only.length && !only.includes(id)) continue;
        console.log(`bench: ${id} (run ${RUN_ID})`);
        const report = await scenario(options);
        console.log(JSON.stringify(report.numbers));
        reports.push(report);
      }
    } finally {
      await cleanUpRun();
    }
    run = {
      started: started.toISOString(),
      seconds: (Date.now() - started.getTime()) / 1000,
      command: ['npm run bench', ...process.argv.slice(2)].join(' '),
      reports,
    };
    mkdirSync(dirname(lastRun), { recursive: true });
    writeFileSync(lastRun, JSON.stringify(run, null, 2));
  }
  const { reports } = run;

  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  const notesFile = join(REPO_ROOT, 'bench/notes.md');
  writeFileSync(join(out, 'benchmarks.svg'), ratioChartSvg(reports));
  writeFileSync(
    join(out, 'benchmarks.md'),
    benchmarksMarkdown(reports, {
      started: new Date(run.started),
      seconds: run.seconds,
      command: run.command,
      chart: 'benchmarks.svg',
      notes: existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '',
    }),
  );
  if (values.json)
    writeFileSync(resolve(values.json), JSON.stringify(reports, null, 2));
  console.log(
    `bench: wrote ${relative(process.cwd(), join(out, 'benchmarks.md'))}`,
  );
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
