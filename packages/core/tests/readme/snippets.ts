import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..', '..');

/** What the README's marker comment before a ```ts block asks for (see CONTRIBUTING.md). */
export type SnippetMode = 'check' | 'run';

export interface Snippet {
  /** 1-based README line of the snippet's first line of code (the one after the fence). */
  readonly line: number;
  readonly mode: SnippetMode;
  readonly code: string;
}

const kFence = /^(\s*)```(\S*)\s*$/;
const kMarker = /^<!--\s*snippet:\s*(.*?)\s*-->$/;

/**
 * Every ```ts (or ```typescript) block of a Markdown text, with its mode: `run` when the last
 * non-blank line before the fence is `<!-- snippet: run -->`, else `check`. A marker anywhere
 * else, or one that names another mode, is an error: a typo must not quietly turn a run off.
 */
export function extractSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  let pendingMarker: { mode: string; line: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const marker = kMarker.exec(text.trim());
    if (marker) {
      if (pendingMarker) throw new Error(`README.md:${pendingMarker.line}: snippet marker not followed by a \`\`\`ts block`);
      if (marker[1] !== 'run') throw new Error(`README.md:${i + 1}: unknown snippet marker "${marker[1]}" (the only one is <!-- snippet: run -->)`);
      pendingMarker = { mode: marker[1], line: i + 1 };
      continue;
    }
    const fence = kFence.exec(text);
    if (!fence) {
      if (text.trim() !== '' && pendingMarker) throw new Error(`README.md:${pendingMarker.line}: snippet marker not followed by a \`\`\`ts block`);
      continue;
    }
    const [, indent, lang] = fence;
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^${indent}\`\`\`\\s*$`).test(lines[end]!)) end++;
    if (end === lines.length) throw new Error(`README.md:${i + 1}: code block never closed`);
    const isTs = lang === 'ts' || lang === 'typescript';
    if (pendingMarker && !isTs) throw new Error(`README.md:${pendingMarker.line}: snippet marker before a \`\`\`${lang} block; only ts blocks run`);
    if (isTs) {
      const code = lines.slice(i + 1, end).map((l) => l.slice(indent!.length)).join('\n');
      snippets.push({ line: i + 2, mode: pendingMarker ? 'run' : 'check', code });
    }
    pendingMarker = null;
    i = end;
  }
  if (pendingMarker) throw new Error(`README.md:${pendingMarker.line}: snippet marker not followed by a \`\`\`ts block`);
  return snippets;
}

/** The file name a snippet gets in the generated project: its README line, so errors are easy to find. */
export function snippetFile(snippet: Snippet): string {
  return `readme-${String(snippet.line).padStart(4, '0')}`;
}

/**
 * What a `run` snippet becomes: a listening app gets a free port instead of the one it names
 * (never a fixed port on a shared machine), and an app the snippet leaves open is started
 * (so its routes are scanned and its dependencies resolved) and closed, so the program ends.
 * Appended after the snippet's own lines, so line numbers stay the README's.
 */
export function runnable(code: string): string {
  let out = code.replace(/\bport: \d+/g, 'port: 0');
  if (/^const app = /m.test(code) && !/\bapp\.close\(\)/.test(code)) out += '\nawait app.ready();\nawait app.close();';
  return out;
}

export interface SnippetProject {
  readonly dir: string;
  readonly snippets: readonly Snippet[];
  remove(): void;
}

/**
 * A project in a temp folder outside the repository, as a user's would be: one ES module per
 * snippet, the prelude as global declarations, the repository's `node_modules` (where
 * `@cello/*` are the built workspace packages) and the compiler options `cello new` generates.
 */
export function writeSnippetProject(snippets: readonly Snippet[], prelude: string): SnippetProject {
  const dir = mkdtempSync(join(tmpdir(), 'cello-readme-'));
  mkdirSync(join(dir, 'src'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-snippets', private: true, type: 'module' }));
  writeFileSync(join(dir, 'src', 'prelude.d.ts'), prelude);
  // Files a snippet imports from its own project (a generated client), as declarations.
  const modules = join(__dirname, 'modules');
  if (existsSync(modules)) for (const file of readdirSync(modules)) copyFileSync(join(modules, file), join(dir, 'src', file));
  for (const snippet of snippets) {
    const code = snippet.mode === 'run' ? runnable(snippet.code) : snippet.code;
    // `export {}`: every snippet is a module, so its own `app` shadows the prelude's instead of clashing with it.
    writeFileSync(join(dir, 'src', `${snippetFile(snippet)}.ts`), `${code}\nexport {};\n`);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: projectCompilerOptions(), include: ['src'] }, null, 2));
  return { dir, snippets, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The options of the tsconfig `cello new` writes, so a snippet compiles where a new project's code does. */
function projectCompilerOptions(): Record<string, unknown> {
  const template = readFileSync(join(repoRoot, 'packages', 'cli', 'templates', 'project', 'tsconfig.json.tpl'), 'utf8');
  const { compilerOptions } = JSON.parse(template) as { compilerOptions: Record<string, unknown> };
  const { incremental: _i, tsBuildInfoFile: _t, sourceMap: _s, ...options } = compilerOptions;
  return { ...options, rootDir: 'src', outDir: 'out' };
}

export interface ProcessResult {
  code: number | null;
  output: string;
}

export function runProcess(command: string, args: readonly string[], cwd: string, deadlineMs: number): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    // Not a timing assertion: it turns a program that never ends into a failure naming it.
    const timer = setTimeout(() => {
      output += `\n[still running after ${deadlineMs} ms: killed]`;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/**
 * Compiles the project with the repository's TypeScript (`tsc -p`, which type-checks every
 * snippet and emits the ones to run) and gives each error as `README.md:<line>:<col> <message>`.
 */
export async function compileSnippets(project: SnippetProject): Promise<string[]> {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await runProcess(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], project.dir, 120_000);
  const byFile = new Map(project.snippets.map((s) => [`src/${snippetFile(s)}.ts`, s]));
  const errors: string[] = [];
  for (const line of result.output.split('\n')) {
    if (line.trim() === '') continue;
    const at = /^(src\/[\w.-]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line.trim());
    const snippet = at ? byFile.get(at[1]!) : undefined;
    if (at && snippet) errors.push(`README.md:${snippet.line + Number(at[2]) - 1}:${at[3]} ${at[4]}`);
    // tsc indents the further lines of a message (a chain of reasons).
    else if (/^\s/.test(line) && errors.length > 0) errors[errors.length - 1] += `\n${line}`;
    else errors.push(line.trim());
  }
  if (result.code !== 0 && errors.length === 0) errors.push(`tsc exited with ${result.code}:\n${result.output}`);
  return errors;
}

/** Runs one emitted `run` snippet with node; a non-zero exit (a throw, a failed assert) is its failure. */
export function runSnippet(project: SnippetProject, snippet: Snippet): Promise<ProcessResult> {
  return runProcess(process.execPath, [join('out', `${snippetFile(snippet)}.js`)], project.dir, 60_000);
}
