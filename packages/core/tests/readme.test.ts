import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compileSnippets, extractSnippets, repoRoot, runSnippet, writeSnippetProject, type Snippet, type SnippetProject,
} from './readme/snippets';

// "Every snippet runs as is": each ```ts block of README.md is type-checked, against the built
// packages (`npm test` builds first), and those marked `<!-- snippet: run -->` are run.
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const prelude = readFileSync(join(__dirname, 'readme', 'prelude.d.ts'), 'utf8');
const snippets = extractSnippets(readme);
const toRun = snippets.filter((s) => s.mode === 'run');

describe('README.md', () => {
  let project: SnippetProject;
  let errors: string[];

  beforeAll(async () => {
    // Snippets import the built packages, as a user's project does.
    if (!existsSync(join(repoRoot, 'packages', 'core', 'dist', 'index.d.ts'))) throw new Error('packages/core/dist is missing: run `npm run build` first');
    project = writeSnippetProject(snippets, prelude);
    errors = await compileSnippets(project);
  }, 180_000);
  afterAll(() => project?.remove());

  test('has ts snippets, some of them marked to run', () => {
    expect(snippets.length).toBeGreaterThan(10);
    expect(toRun.length).toBeGreaterThan(0);
  });

  test('every ts snippet type-checks with the repository\'s TypeScript', () => {
    expect(errors).toEqual([]);
  });

  test.each(toRun.map((s) => [s.line, s] as const))('the program at README.md:%i runs to completion', async (_line, snippet) => {
    const result = await runSnippet(project, snippet);
    if (result.code !== 0) throw new Error(`README.md:${snippet.line} exited with ${result.code}:\n${result.output}`);
  }, 90_000);
});

describe('the snippet check', () => {
  const made: SnippetProject[] = [];
  afterAll(() => { for (const p of made) p.remove(); });

  test('finds the blocks and their markers', () => {
    const found = extractSnippets([
      'text', '```ts', 'a();', '```', '', '<!-- snippet: run -->', '', '```ts', 'b();', '```',
      '```sh', 'ls', '```', '- item:', '  ```typescript', '  c();', '  ```',
    ].join('\n'));
    expect(found).toEqual([
      { line: 3, mode: 'check', code: 'a();' },
      { line: 9, mode: 'run', code: 'b();' },
      { line: 16, mode: 'check', code: 'c();' },
    ]);
  });

  test.each([
    ['<!-- snippet: runn -->\n```ts\nx\n```', /unknown snippet marker "runn"/],
    ['<!-- snippet: run -->\n```sh\nls\n```', /only ts blocks run/],
    ['<!-- snippet: run -->\nsome prose\n```ts\nx\n```', /not followed by a ```ts block/],
    ['```ts\nx', /never closed/],
  ])('refuses a misplaced or misspelled marker: %p', (markdown, message) => {
    expect(() => extractSnippets(markdown)).toThrow(message);
  });

  test('fails on a snippet that does not compile, naming its README line, and on a program that throws', async () => {
    const broken: Snippet[] = [
      { line: 10, mode: 'check', code: "import { Controller, Get } from '@cello/core';\n\n@Controller('/')\nclass C { @Get('/{id}') get(@Param('id') id: string) { return id; } }" },
      { line: 20, mode: 'run', code: "throw new Error('boom');" },
      { line: 30, mode: 'check', code: 'app.get("/x", () => pool);' },
    ];
    const project = writeSnippetProject(broken, prelude);
    made.push(project);
    expect(await compileSnippets(project)).toEqual([
      "README.md:13:30 error TS2304: Cannot find name 'Param'.",
      "README.md:30:21 error TS2304: Cannot find name 'pool'.",
    ]);
    const run = await runSnippet(project, broken[1]!);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/boom/);
  }, 120_000);
});
