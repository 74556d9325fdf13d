import type { CfnResourceView } from './rule.js';
import { INPUTS_METADATA_KEY, type PolicySettings } from '@meshkit/contracts';
import { canonicalResourceType } from './known-types.js';

/** What a stack is, from its `meshkit:inputs` Metadata: a product stack (domain + product), a domain foundation (domain), else another stack (platform, replica, or not built by Meshkit). */
export type StackKind = 'product' | 'domain' | 'other';

/** The kind of a template from its `meshkit:inputs` Metadata. */
export function stackKindOf(template: CfnTemplate): StackKind {
  const m = template.Metadata;
  const inputs = m && typeof m === 'object' ? (m as Record<string, unknown>)[INPUTS_METADATA_KEY] : undefined;
  if (!inputs || typeof inputs !== 'object') return 'other';
  const { domain, product } = inputs as { domain?: unknown; product?: unknown };
  return typeof product === 'string' && typeof domain === 'string'
    ? 'product'
    : typeof domain === 'string'
      ? 'domain'
      : 'other';
}

/** A synthesized CloudFormation template (only the parts the pack reads). */
export interface CfnTemplate {
  Resources?: Record<string, CfnTemplateResource>;
  Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
  [key: string]: unknown;
}

/** A resource entry of a template. */
export interface CfnTemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  [key: string]: unknown;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_DEPS: readonly string[] = Object.freeze([]);

/** A template of an assembly, as the engine indexes it. */
export interface IndexedTemplate {
  /** Key of the template in its assembly (the stack artifact id or name). */
  readonly key: string;
  readonly ctx: TemplateContext;
}

/**
 * What the templates of one cloud assembly know about each other: CloudFormation exports, so
 * `Fn::ImportValue` can be followed to a resource of another stack (e.g. a product bucket logging
 * into the domain's access-log bucket). Built lazily, once per assembly.
 */
export class AssemblyIndex {
  private readonly templates: IndexedTemplate[] = [];
  private exportsByName: Map<string, { key: string; value: unknown }> | undefined;
  private readonly memos = new Map<string, unknown>();

  /** @internal */
  _add(t: IndexedTemplate): void {
    this.templates.push(t);
    this.exportsByName = undefined;
  }

  /** Every template of the assembly. */
  all(): readonly IndexedTemplate[] {
    return this.templates;
  }

  /** The value an export name stands for, and the template exporting it. */
  exported(name: string): { key: string; value: unknown } | undefined {
    if (!this.exportsByName) {
      const m = new Map<string, { key: string; value: unknown }>();
      for (const t of this.templates) {
        for (const out of Object.values(t.ctx.template.Outputs ?? {})) {
          const n = out?.Export?.Name;
          if (typeof n === 'string') m.set(n, { key: t.key, value: out.Value });
        }
      }
      this.exportsByName = m;
    }
    return this.exportsByName.get(name);
  }

  /** Computes `compute()` once per assembly for `key`. */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = compute();
    this.memos.set(key, v);
    return v;
  }
}

/**
 * The whole template, for cross-resource rules: resources indexed by logical id and by type
 * (built once), a per-template memo for derived indexes, and the assembly the template is part of.
 */
export class TemplateContext {
  /** The template JSON (not copied). */
  readonly template: CfnTemplate;
  /** Key of this template in its assembly. */
  readonly key: string;
  /** Stack name, when known. */
  readonly stackName: string | undefined;
  /** The assembly this template belongs to (a one-template assembly when evaluated alone). */
  readonly assembly: AssemblyIndex;
  private readonly byId = new Map<string, CfnResourceView>();
  private readonly byType = new Map<string, CfnResourceView[]>();
  private readonly memos = new Map<string, unknown>();

  private readonly pathOf: ((logicalId: string) => string | undefined) | undefined;

  /** The platform's settings (`mesh.config.yaml` `policy`). */
  readonly settings: PolicySettings;
  /** The evaluation's clock (`enforceFrom` of settings such as mandatory tags is judged at it). */
  readonly now: Date;
  /** Kind of the stack (a nested stack has its parent's kind). */
  readonly stackKind: StackKind;
  /** Construct path of a nested stack (findings without `aws:cdk:path` are reported under it). */
  readonly nestedPath: string | undefined;
  /** Logical ids of this template's nested stacks whose template is part of the assembly (and evaluated). */
  readonly resolvedNestedStacks: ReadonlySet<string>;

  constructor(
    template: CfnTemplate,
    options: {
      key?: string;
      stackName?: string;
      assembly?: AssemblyIndex;
      pathOf?: (logicalId: string) => string | undefined;
      settings?: PolicySettings;
      /** @default new Date() */
      now?: Date;
      /** @default from the template's `meshkit:inputs` Metadata */
      stackKind?: StackKind;
      nestedPath?: string;
      resolvedNestedStacks?: ReadonlySet<string>;
    } = {},
  ) {
    this.template = template;
    this.stackKind = options.stackKind ?? stackKindOf(template);
    this.nestedPath = options.nestedPath;
    this.resolvedNestedStacks = options.resolvedNestedStacks ?? new Set();
    this.settings = options.settings ?? {
      allowedResourceTypes: [],
      allowedCustomResources: [],
      maxSuppressionDays: 180,
    };
    this.pathOf = options.pathOf;
    this.now = options.now ?? new Date();
    this.stackName = options.stackName;
    this.key = options.key ?? options.stackName ?? 'template';
    this.assembly = options.assembly ?? new AssemblyIndex();
    this.assembly._add({ key: this.key, ctx: this });
    const resources = template.Resources ?? {};
    for (const logicalId of Object.keys(resources)) {
      const r = resources[logicalId];
      if (!r || typeof r !== 'object' || typeof r.Type !== 'string') continue;
      // Types are case-insensitive for CloudFormation: every rule sees the pack's spelling.
      const type = canonicalResourceType(r.Type);
      const view: CfnResourceView = {
        logicalId,
        type,
        properties: r.Properties && typeof r.Properties === 'object' ? r.Properties : EMPTY,
        metadata: r.Metadata && typeof r.Metadata === 'object' ? r.Metadata : EMPTY,
        dependsOn: r.DependsOn === undefined ? NO_DEPS : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn],
        deletionPolicy: r.DeletionPolicy,
      };
      this.byId.set(logicalId, view);
      const typeKey = type.toLowerCase();
      let list = this.byType.get(typeKey);
      if (!list) this.byType.set(typeKey, (list = []));
      list.push(view);
    }
  }

  /** Every resource, in template order. */
  resources(): IterableIterator<CfnResourceView> {
    return this.byId.values();
  }

  /** The resource with this logical id. */
  get(logicalId: string): CfnResourceView | undefined {
    return this.byId.get(logicalId);
  }

  /** Resources of one CloudFormation type, matched case-insensitively (indexed once). */
  ofType(type: string): readonly CfnResourceView[] {
    return this.byType.get(type.toLowerCase()) ?? (NO_DEPS as unknown as readonly CfnResourceView[]);
  }

  /** Computes `compute(this)` once per template for `key` (derived cross-resource indexes). */
  memo<T>(key: string, compute: (ctx: TemplateContext) => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = compute(this);
    this.memos.set(key, v);
    return v;
  }

  /** `aws:cdk:path` of a resource, else the path from the construct tree when known, else `<stack>/<logicalId>`. */
  constructPath(resource: CfnResourceView): string {
    const p = resource.metadata['aws:cdk:path'];
    if (typeof p === 'string') return p;
    return (
      this.pathOf?.(resource.logicalId) ?? `${this.nestedPath ?? this.stackName ?? this.key}/${resource.logicalId}`
    );
  }
}
