// The READMEs show commands that exist: every `mesh …` command (in a code block or an inline code
// span of README.md and packages/*/README.md) names a command of the real program (`buildProgram`
// of @meshkit/cli) and only options that command (or one of its parents) has; every `npm run <x>`
// names a script of the root package.json (or, in a package's README, of that package); and the root README's list of commands ("The `mesh`
// command") names every command the program has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProgram, bufferIo } from '@meshkit/cli';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READMES = [
  join(ROOT, 'README.md'),
  ...readdirSync(join(ROOT, 'packages'))
    .map((p) => join(ROOT, 'packages', p, 'README.md'))
    .filter((f) => existsSync(f)),
];
const scriptsOf = (dir) => Object.keys(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts ?? {});
const PROGRAM = buildProgram(bufferIo(ROOT), { code: 0 });

/** How a command is started in the READMEs, before its arguments. */
const MESH_PREFIX = /^(?:\$ )?(?:npm run mesh --|node packages\/cli\/bin\/mesh\.js|npx mesh|mesh)(?= |$)/;

/**
 * The shell commands a README shows, each with its line: the lines of its code blocks (comments
 * and `$ ` prompts dropped, `&&` chains split) and its inline code spans.
 */
function commandsOf(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found = [];
  let fence;
  lines.forEach((text, i) => {
    const line = i + 1;
    const open = /^\s*```(\w*)/.exec(text);
    if (open) {
      fence = fence === undefined ? open[1] : undefined;
      return;
    }
    if (fence !== undefined) {
      if (!['', 'sh', 'bash', 'shell', 'console'].includes(fence)) return;
      for (const part of text.replace(/\s#\s.*$/, '').split(/&&|;/)) found.push({ line, command: part.trim() });
      return;
    }
    for (const m of text.matchAll(/`([^`]+)`/g)) found.push({ line, command: m[1].trim(), inline: true });
  });
  return found;
}

/** The command path and options of a `mesh …` line (brackets, placeholders and notes dropped). */
function parseMesh(args) {
  const words = args
    .replace(/\s\([^)]*\)\s*$/, '') // a trailing note: (refused while …)
    .replace(/[[\]]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const path = [];
  let i = 0;
  while (i < words.length && /^[a-z][a-z-]*$/.test(words[i])) path.push(words[i++]);
  const options = words
    .slice(i)
    .flatMap((w) => w.split('|'))
    .filter((w) => /^--?[a-zA-Z]/.test(w))
    .map((w) => w.replace(/=.*$/, ''));
  return { path, options };
}

/** The command `path` names (as far as it names commands), and the words that name none. */
function resolve(path) {
  let cmd = PROGRAM;
  const chain = [cmd];
  let k = 0;
  for (; k < path.length; k++) {
    const sub = cmd.commands.find((c) => c.name() === path[k] || c.aliases().includes(path[k]));
    if (!sub) break;
    cmd = sub;
    chain.push(cmd);
  }
  return { cmd, chain, rest: path.slice(k) };
}

const hasOption = (chain, flag) =>
  flag === '--help' || flag === '-h' || chain.some((c) => c.options.some((o) => o.long === flag || o.short === flag));

/** Every leaf command of the program, as `contract lint`, `catalog serve`… */
function leaves(cmd = PROGRAM, prefix = []) {
  return cmd.commands.flatMap((c) =>
    c.commands.length ? leaves(c, [...prefix, c.name()]) : [[...prefix, c.name()].join(' ')],
  );
}

test('every mesh command the READMEs show exists, with the options shown', () => {
  const problems = [];
  let checked = 0;
  for (const file of READMES) {
    for (const { line, command, inline } of commandsOf(file)) {
      const m = MESH_PREFIX.exec(command);
      if (!m) continue;
      // `mesh catalog list | show …`: each alternative after ` | ` is a sibling of the first command.
      const [first, ...alternatives] = command.slice(m[0].length).split(/ \| (?=[a-z])/);
      const parsedFirst = parseMesh(first);
      const parsed = [
        parsedFirst,
        ...alternatives.map((a) => {
          const p = parseMesh(a);
          return { ...p, path: [...parsedFirst.path.slice(0, -1), ...p.path] };
        }),
      ];
      for (const { path, options } of parsed) {
        const { cmd, chain, rest } = resolve(path);
        const where = `${relative(ROOT, file)}:${line}: mesh ${path.join(' ')}`;
        checked++;
        // Arguments are words too (`mesh run sales/orders`): a word is wrong only where a
        // subcommand is expected, i.e. when the command reached has subcommands and no arguments.
        if (rest.length && cmd.commands.length && !cmd.registeredArguments.length) {
          problems.push(`${where}: '${rest[0]}' is not a command of '${chain.map((c) => c.name()).join(' ')}'`);
          continue;
        }
        if (inline && cmd === PROGRAM && path.length) {
          problems.push(`${where}: '${path[0]}' is not a mesh command`);
          continue;
        }
        for (const o of options)
          if (!hasOption(chain, o))
            problems.push(`${where}: no option ${o} (${cmd.name()} has: ${cmd.options.map((x) => x.long).join(' ')})`);
      }
    }
  }
  assert.ok(checked > 40, `only ${checked} mesh commands found in the READMEs`);
  assert.deepEqual(problems, []);
});

test("every npm run <script> the READMEs show is a script of the root package.json or the README's package", () => {
  const problems = [];
  for (const file of READMES) {
    const scripts = new Set([...scriptsOf(ROOT), ...scriptsOf(join(file, '..'))]);
    for (const { line, command } of commandsOf(file)) {
      const m = /^(?:\$ )?npm run ([\w:-]+)/.exec(command);
      if (m && !scripts.has(m[1])) problems.push(`${relative(ROOT, file)}:${line}: npm run ${m[1]}: no such script`);
    }
  }
  assert.deepEqual(problems, []);
});

test("the root README's list of mesh commands names every command of the program", () => {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /^## The `mesh` command[^\n]*\n[\s\S]*?^```\n([\s\S]*?)^```/m.exec(text);
  assert.ok(section, 'README.md has a section "The `mesh` command" with a code block');
  const listed = new Set();
  for (const row of section[1].split('\n').filter((l) => l.startsWith('mesh '))) {
    const [first, ...alternatives] = row.slice(5).split(/ \| (?=[a-z])/);
    const head = parseMesh(first).path;
    listed.add(
      resolve(head)
        .chain.slice(1)
        .map((c) => c.name())
        .join(' '),
    );
    for (const a of alternatives)
      listed.add(
        resolve([...head.slice(0, -1), ...parseMesh(a).path])
          .chain.slice(1)
          .map((c) => c.name())
          .join(' '),
      );
  }
  assert.deepEqual(
    leaves().filter((c) => !listed.has(c)),
    [],
    'commands missing from the list in README.md',
  );
});
