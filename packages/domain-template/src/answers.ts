import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { MeshError, nameProblem as repositoryNameProblem } from '@meshkit/contracts';
import type { TemplateAnswers } from './render.js';

/** Path of the JSON Schema of {@link TemplateAnswers}. */
export const ANSWERS_SCHEMA_FILE = fileURLToPath(new URL('../schemas/answers.schema.json', import.meta.url));

/** Names a domain or product may not take (folders of the repository and of a product, Windows device names). */
export const RESERVED_NAMES: readonly string[] = (
  JSON.parse(readFileSync(ANSWERS_SCHEMA_FILE, 'utf8')) as { definitions: { name: { not: { enum: string[] } } } }
).definitions.name.not.enum;

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(
    JSON.parse(readFileSync(ANSWERS_SCHEMA_FILE, 'utf8')) as object,
  );
  return validator;
}

/** Why a domain or product name is not acceptable, or `undefined` when it is (the repository's name rules, and not one of {@link RESERVED_NAMES}). */
export function nameProblem(name: string): string | undefined {
  return repositoryNameProblem(name, RESERVED_NAMES);
}

/** What `mesh new` and the plop generators answer for a question left unanswered (`--yes`, an empty plop answer). */
export interface AnswerDefaults {
  /** The owning team: the domain's owner (`owner` of domain.yaml) for a product, else `team-<domain>`. */
  owner: string;
  /** The domain's cost center: `cc-<domain>`. */
  costCenter: string;
  /** A product's ingestion: `batch`. */
  ingestion: 'batch';
}

/**
 * The default answers for `domain`.
 * @param domainOwner the domain's `owner` (domain.yaml), for a product's owner. @default `team-<domain>`
 */
export function answerDefaults(domain: string, domainOwner?: string): AnswerDefaults {
  return { owner: domainOwner ?? `team-${domain}`, costCenter: `cc-${domain}`, ingestion: 'batch' };
}

function describe(e: ErrorObject, answers: Record<string, unknown>): string {
  const field =
    e.instancePath.replace(/^\//, '') || (e.params as { missingProperty?: string }).missingProperty || 'answers';
  const value = answers[field];
  if ((field === 'domain' || field === 'product') && typeof value === 'string') {
    return `${field} name '${value}' ${nameProblem(value) ?? 'is invalid'}`;
  }
  if (e.keyword === 'required') return `missing answer '${(e.params as { missingProperty: string }).missingProperty}'`;
  if (e.keyword === 'additionalProperties')
    return `unknown answer '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'not' && field === 'answers') return 'product and ingestion are answers of kind product only';
  return `${field} ${JSON.stringify(value)} ${e.message ?? 'is invalid'}`;
}

/**
 * Validates answers against schemas/answers.schema.json (lowercase kebab-case names of 2–40
 * characters, no dots or slashes, not reserved; product answers for kind `product`).
 * @throws MeshError `USAGE` (exit 2) with one line naming the first problem.
 */
export function validateAnswers(answers: unknown): asserts answers is TemplateAnswers {
  const v = validate();
  if (v(answers)) return;
  const errors = v.errors ?? [];
  // Name problems first: they are what a person typed.
  const first = errors.find((e) => /^\/(domain|product)$/.test(e.instancePath)) ?? errors[0];
  throw new MeshError('USAGE', first ? describe(first, answers ?? {}) : 'invalid answers');
}
