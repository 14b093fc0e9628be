import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * Type-checks every ```ts / ```typescript block of README.md and docs/*.md with the project's
 * compiler options and path aliases, each block as its own module. Info-string words:
 * `ignore` skips a block (keep those rare); `example=<path>` also requires the block to equal
 * that file, so a guide's example is the test that runs. Relative imports resolve from the
 * Markdown file's folder.
 */

const ROOT = join(__dirname, '..');

/** One fenced TypeScript block of a Markdown file. */
interface Snippet {
  /** `docs/testing.md:42`: where the block's first code line is. */
  where: string;
  doc: string;
  /** 1-based line of the first code line in the Markdown file. */
  line: number;
  code: string;
  ignore: boolean;
  example?: string;
  /** The virtual file it is checked as. */
  fileName: string;
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\b(.*)$/;

/** The TypeScript blocks of one Markdown text. */
export function extractSnippets(doc: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]);
    if (!open) {
      // Skip other fenced blocks whole, so a ```ts inside a ```md block is not taken.
      const other = /^\s*(`{3,}|~{3,})/.exec(lines[i]);
      if (other) {
        const fence = other[1];
        i++;
        while (i < lines.length && !lines[i].trim().startsWith(fence)) i++;
      }
      continue;
    }
    const [, indent, fence, , info] = open;
    const words = info.trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j].trim().startsWith(fence); j++) {
      body.push(
        lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j],
      );
    }
    const line = i + 2;
    snippets.push({
      where: `${doc}:${line}`,
      doc,
      line,
      code: body.join('\n'),
      ignore: words.includes('ignore'),
      example: words
        .find((word) => word.startsWith('example='))
        ?.slice('example='.length),
      // Beside its Markdown file, so relative imports resolve as the doc's own links do.
      fileName: join(
        ROOT,
        dirname(doc),
        `__snippet_${basename(doc, '.md').replace(/\W+/g, '_')}_${line}.ts`,
      ),
    });
    i = j;
  }
  return snippets;
}

function markdownFiles(): string[] {
  const docsDir = join(ROOT, 'docs');
  const docs = existsSync(docsDir)
    ? readdirSync(docsDir)
        .filter((name) => name.endsWith('.md'))
        .sort()
        .map((name) => join('docs', name))
    : [];
  return ['README.md', 'libs/oauth-consumer/README.md', ...docs].filter(
    (file) => existsSync(join(ROOT, file)),
  );
}

const snippets = markdownFiles().flatMap((doc) =>
  extractSnippets(doc, readFileSync(join(ROOT, doc), 'utf8')),
);
const checked = snippets.filter((snippet) => !snippet.ignore);
const examples = snippets.filter((snippet) => snippet.example);

/** The project's compiler options (tsconfig.json), without emitting. */
function compilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(
          ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
        );
      },
    },
  );
  if (!parsed) throw new Error('cannot read tsconfig.json');
  return { ...parsed.options, noEmit: true, incremental: false };
}

/** Type-checks virtual files (name → source) in one program; diagnostics by file name. */
function typeCheck(files: Map<string, string>): Map<string, string[]> {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, onError, create) => {
    const text = files.get(name);
    return text !== undefined
      ? ts.createSourceFile(name, text, language, true, ts.ScriptKind.TS)
      : getSourceFile.call(host, name, language, onError, create);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const results = new Map<string, string[]>();
  for (const name of files.keys()) {
    const sourceFile = program.getSourceFile(name)!;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile),
    ];
    results.set(
      name,
      diagnostics.map((diagnostic) => {
        const { line } = sourceFile.getLineAndCharacterOfPosition(
          diagnostic.start ?? 0,
        );
        return `line ${line + 1}: TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      }),
    );
  }
  return results;
}

/** Every block as a module of its own, so blocks never see each other's declarations. */
function asModule(code: string): string {
  return `${code}\nexport {};\n`;
}

let diagnostics: Map<string, string[]>;

beforeAll(() => {
  const files = new Map(
    checked.map((snippet) => [snippet.fileName, asModule(snippet.code)]),
  );
  // The checker's own control: a block that must fail.
  files.set(
    join(ROOT, 'docs', '__snippet_control__.ts'),
    asModule(
      "import { OAuthConsumerModule } from 'nest-dance';\nOAuthConsumerModule.forRoot({ blueprints: 'github' });",
    ),
  );
  diagnostics = typeCheck(files);
}, 60_000);

describe('Code blocks of README.md and docs/*.md', () => {
  it('finds the blocks, with their Markdown line numbers', () => {
    const sample = extractSnippets(
      'sample.md',
      [
        '# Sample',
        '```ts',
        'const a = 1;',
        '```',
        '````md',
        '```ts',
        'not a block of its own',
        '```',
        '````',
        '- item',
        '  ```typescript example=test/x.ts',
        '  const b = 2;',
        '  ```',
        '```ts ignore',
        'nope(',
        '```',
      ].join('\n'),
    );
    expect(
      sample.map(({ where, code, ignore, example }) => ({
        where,
        code,
        ignore,
        example,
      })),
    ).toEqual([
      {
        where: 'sample.md:3',
        code: 'const a = 1;',
        ignore: false,
        example: undefined,
      },
      {
        where: 'sample.md:12',
        code: 'const b = 2;',
        ignore: false,
        example: 'test/x.ts',
      },
      {
        where: 'sample.md:15',
        code: 'nope(',
        ignore: true,
        example: undefined,
      },
    ]);
    expect(checked.some((snippet) => snippet.doc === 'README.md')).toBe(true);
    expect(
      checked.some((snippet) => snippet.doc === join('docs', 'testing.md')),
    ).toBe(true);
    expect(examples.length).toBeGreaterThan(0);
  });

  it('reports a block that does not compile (the check can fail)', () => {
    expect(
      diagnostics.get(join(ROOT, 'docs', '__snippet_control__.ts')),
    ).toEqual([expect.stringMatching(/^line 2: TS2322 /)]);
  });

  it.each(checked.map((snippet) => [snippet.where, snippet] as const))(
    '%s type-checks',
    (_where, snippet) => {
      const problems = (diagnostics.get(snippet.fileName) ?? []).map(
        (problem) =>
          problem.replace(
            /^line (\d+)/,
            (_match, line) =>
              `${snippet.doc}:${snippet.line + Number(line) - 1}`,
          ),
      );
      expect(problems).toEqual([]);
    },
  );

  it.each(examples.map((snippet) => [snippet.where, snippet] as const))(
    '%s is the same as its example test',
    (_where, snippet) => {
      const path = join(ROOT, snippet.example!);
      expect(relative(ROOT, path).startsWith('..')).toBe(false);
      expect(existsSync(path)).toBe(true);
      expect(snippet.code.trimEnd()).toBe(readFileSync(path, 'utf8').trimEnd());
    },
  );
});
