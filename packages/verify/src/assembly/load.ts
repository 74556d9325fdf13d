import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MeshError } from '@meshkit/contracts';

/** A CloudFormation template as JSON. */
export interface Template {
  Metadata?: Record<string, unknown>;
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  Resources?: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
}

/** One resource of a template. */
export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
}

/** One stack of the cloud assembly. */
export interface AssemblyStack {
  /** Stack name (the artifact id). */
  name: string;
  /** Absolute path of the template file. */
  file: string;
  template: Template;
  /** Account of the stack's environment, or undefined when environment-agnostic. */
  account?: string;
  /** Region of the stack's environment, or undefined when environment-agnostic. */
  region?: string;
}

/** A cloud assembly as `mesh synth` wrote it. */
export interface CloudAssembly {
  dir: string;
  stacks: AssemblyStack[];
}

const usage = (
  message: string,
  file?: string,
  code: 'ASSEMBLY_MISSING' | 'ASSEMBLY_UNREADABLE' = 'ASSEMBLY_UNREADABLE',
) => new MeshError(code, message, { exitCode: 2, ...(file ? { file } : {}) });

/**
 * Reads the cloud assembly in `dir` (`manifest.json` and every CloudFormation stack's template,
 * the nested assemblies of CDK Stages included).
 * @throws MeshError (exit 2) when the directory or its manifest is missing ("run mesh synth"), or a
 * manifest or template cannot be parsed (naming the file).
 */
export function loadCloudAssembly(dir: string, cwd = process.cwd()): CloudAssembly {
  const shown = (f: string) => relative(cwd, f) || f;
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !existsSync(join(dir, 'manifest.json'))) {
    throw usage(
      `no cloud assembly in ${shown(dir)}: run \`mesh synth\` first (mesh verify reads what it synthesized)`,
      undefined,
      'ASSEMBLY_MISSING',
    );
  }
  const stacks: AssemblyStack[] = [];
  readStacks(dir, stacks, shown);
  return { dir, stacks };
}

interface ManifestArtifact {
  type?: string;
  displayName?: string;
  environment?: string;
  properties?: { templateFile?: string; directoryName?: string };
}

function readStacks(dir: string, stacks: AssemblyStack[], shown: (f: string) => string): void {
  const manifest = parseJson(join(dir, 'manifest.json'), shown) as { artifacts?: Record<string, ManifestArtifact> };
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      readStacks(join(dir, artifact.properties.directoryName), stacks, shown);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const name = artifact.displayName ?? id;
    const file = join(dir, artifact.properties?.templateFile ?? `${id}.template.json`);
    if (!existsSync(file))
      throw usage(
        `the cloud assembly in ${shown(dir)} lists stack ${name} but ${shown(file)} is missing: run \`mesh synth\` again`,
        file,
      );
    const template = parseJson(file, shown) as Template;
    if (template === null || typeof template !== 'object' || Array.isArray(template))
      throw usage(`${shown(file)} is not a CloudFormation template (expected a JSON object)`, file);
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
    const account = env && /^\d{12}$/.test(env[1]!) ? env[1] : undefined;
    const region = env && env[2] !== 'unknown-region' ? env[2] : undefined;
    stacks.push({ name, file, template, ...(account ? { account } : {}), ...(region ? { region } : {}) });
  }
}

function parseJson(file: string, shown: (f: string) => string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw usage(`cannot read ${shown(file)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, file);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(String((e as Error).message));
    let where = '';
    if (m) {
      const before = text.slice(0, Number(m[1]));
      const line = before.split('\n').length;
      where = `:${line}:${before.length - before.lastIndexOf('\n')}`;
    }
    throw usage(`${shown(file)}${where}: cannot parse the template: ${(e as Error).message}`, file);
  }
}
