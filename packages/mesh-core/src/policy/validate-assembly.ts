import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Stage } from 'aws-cdk-lib';
import { MeshError } from '@meshkit/contracts';
import { loadCloudAssembly } from '@meshkit/verify';
import { constructPathResolver } from './construct-paths.js';
import { evaluateTemplates, type EvaluateOptions } from './evaluate.js';
import { meshPolicyPluginOf } from './enforce.js';
import { nestedTemplatesOf } from './nested-templates.js';
import type { CfnTemplate } from './template-context.js';
import { buildPolicyReport, type PolicyReport, type ReportProvenance } from './report.js';

/** Options of {@link validateAssembly}. */
export type ValidateAssemblyOptions = Omit<EvaluateOptions, 'stackName'> & {
  /** Packs and rule origins (from `loadPolicyRules`), so the report names each rule's pack and version. @default @meshkit/core only */
  readonly provenance?: ReportProvenance;
};

/**
 * Stack templates of a cloud assembly directory (nested assemblies of Stages included), read by
 * `@meshkit/verify`'s loader (one reader of cdk.out for the pack and `mesh verify`).
 */
export function readAssemblyTemplates(
  dir: string,
): Array<{ stackName: string; templateFile: string; template: object }> {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile))
    throw new MeshError('FILE_NOT_FOUND', `no cloud assembly in ${dir} (manifest.json missing): run synth first`, {
      file: manifestFile,
    });
  return loadCloudAssembly(dir).stacks.map((s) => ({ stackName: s.name, templateFile: s.file, template: s.template }));
}

/**
 * The policy report of a cloud assembly — a `cdk.out` directory, or an App/Stage (synthesized
 * here; if the pack's validation plugin fails the synth, its report is returned). For
 * `mesh policy report`: per stack the findings, warnings and suppressions, JSON-serialisable.
 */
export function validateAssembly(input: string | Stage, options: ValidateAssemblyOptions = {}): PolicyReport {
  let dir: string;
  let paths: ((stackPath: string) => (logicalId: string) => string | undefined) | undefined;
  if (typeof input === 'string') {
    dir = input;
  } else {
    const plugin = meshPolicyPluginOf(input);
    try {
      dir = input.synth().directory;
      paths = constructPathResolver(input);
    } catch (e) {
      if (plugin?.lastReport) return plugin.lastReport;
      throw e;
    }
  }
  const now = options.now ?? new Date();
  const stacks = readAssemblyTemplates(dir);
  const cache = new Map();
  const evals = evaluateTemplates(
    stacks.map((s) => ({
      template: s.template,
      stackName: s.stackName,
      key: s.templateFile,
      nested: nestedTemplatesOf(dirname(s.templateFile), s.template as CfnTemplate, cache),
      ...(paths ? { pathOf: paths(s.stackName), nestedPathOf: paths } : {}),
    })),
    { ...options, now },
  );
  return buildPolicyReport(
    evals,
    stacks.map((s) => s.stackName),
    stacks.map((s) => s.templateFile),
    now,
    options.provenance,
  );
}
