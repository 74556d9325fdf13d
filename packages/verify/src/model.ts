import { PRODUCT_INTENT_METADATA_KEY, type ProductIntent } from '@meshkit/contracts';
import type { PolicyDocument } from './iam/types.js';
import { AssemblyModel, type Resolved, type StackModel } from './assembly/resolve.js';
import type { CloudAssembly } from './assembly/load.js';
import { IAM_POLICY_READERS, readPrincipal, type ModelBuilder, type ResourceReader } from './model-iam.js';
import { LAKE_FORMATION_READERS } from './model-lake-formation.js';
import { RESOURCE_READERS, readAlias, readBucket } from './model-resources.js';
import { pushTo } from './model-values.js';

export { pushTo, tableKey } from './model-values.js';

/** Where a resource is: `<stack>/<logical id>`. */
export interface Located {
  stack: StackModel;
  logicalId: string;
}

export interface RoleModel extends Located {
  arn: string;
  /** An IAM role or an IAM user. */
  principalKind: 'role' | 'user';
  /** Identity policies: inline, attached `AWS::IAM::Policy`/`ManagedPolicy` of the assembly. */
  policies: PolicyDocument[];
  /** Managed policy ARNs the assembly does not define (their content is unknown). */
  unknownManagedPolicies: string[];
  trust: Resolved;
}

export interface BucketModel extends Located {
  name: string;
  arn: string;
  kmsKeyArn?: string;
  policy?: PolicyDocument;
  /** `<domain>/<product>` and zone, from the bucket's Meshkit metadata. */
  product?: string;
  zone?: 'raw' | 'curated';
  eventBridge: boolean;
}

export interface KeyModel extends Located {
  arn: string;
  policy?: PolicyDocument;
  aliases: string[];
}

export interface TableModel extends Located {
  database: string;
  name: string;
  columns: string[];
  location?: string;
  /** For a resource link: the table it points at. */
  target?: { catalogId: string; database: string; name: string };
}

export interface JobModel extends Located {
  name: string;
  roleArn?: string;
  args: Record<string, string>;
}

export interface TriggerModel extends Located {
  name?: string;
  type: string;
  workflow?: string;
  jobNames: string[];
  startOnCreation: boolean;
  predicateJobs: string[];
}

export interface RuleModel extends Located {
  /** `State` is not DISABLED. */
  enabled: boolean;
  pattern: Resolved;
  targets: Array<{ arn: string; roleArn?: string }>;
}

export interface FirehoseModel extends Located {
  name: string;
  roleArn?: string;
  bucketArn?: string;
  prefix?: string;
  outputFormat?: 'parquet' | 'orc' | 'json';
}

/** One Lake Formation grant of the assembly. */
export interface LfGrant extends Located {
  principal: string;
  permissions: string[];
  grantable: string[];
  /** What it covers. */
  resource:
    | { kind: 'table'; catalog: string; database: string; table: string | '*'; columns?: string[]; excluded?: string[] }
    | {
        kind: 'tag-policy';
        catalog: string;
        resourceType: string;
        expression: Array<{ key: string; values: string[] }>;
      }
    | { kind: 'other'; description: string };
  /** Meshkit's `meshkit:consumes` metadata of the grant (which edge it serves). */
  consumes?: { product: string; columns?: string[] };
}

export interface LfTagAssociation extends Located {
  database: string;
  table?: string;
  columns?: string[];
  tags: Record<string, string[]>;
}

export interface LfLocation extends Located {
  resourceArn: string;
  roleArn?: string;
  serviceLinkedRole: boolean;
}

/** Everything `mesh verify` reasons about, indexed. */
export interface MeshModel {
  assembly: AssemblyModel;
  products: Array<{ intent: ProductIntent; stack: StackModel }>;
  roles: Map<string, RoleModel>;
  buckets: Map<string, BucketModel>;
  keys: Map<string, KeyModel>;
  tables: Map<string, TableModel>;
  jobs: Map<string, JobModel>;
  triggers: TriggerModel[];
  workflows: Map<string, Located>;
  rules: RuleModel[];
  firehoses: FirehoseModel[];
  streams: Map<string, Located>;
  rulesets: Array<Located & { name?: string; database?: string; table?: string }>;
  alarms: Array<Located & { dimensions: Record<string, string> }>;
  grants: LfGrant[];
  tagAssociations: LfTagAssociation[];
  locations: LfLocation[];
  /** The raw and curated zone buckets of each product (`<domain>/<product>`). */
  productBuckets: Map<string, BucketModel[]>;
  /** Lake Formation data lake settings per account: Full Table Access allowed? */
  lakeSettings: Map<string, { fullTableAccess: boolean }>;
}

/** First pass: what needs nothing else of the assembly, by resource type. */
const FIRST_PASS = new Map<string, ResourceReader>(
  Object.entries({ ...IAM_POLICY_READERS, ...RESOURCE_READERS, ...LAKE_FORMATION_READERS }),
);

/** Second pass: what needs the first (bucket policies, aliases, role policies). */
const SECOND_PASS = new Map<string, ResourceReader>([
  ['AWS::S3::Bucket', readBucket],
  ['AWS::KMS::Alias', readAlias],
  ['AWS::IAM::Role', readPrincipal],
  ['AWS::IAM::User', readPrincipal],
]);

/** Builds the model of a cloud assembly. */
export function buildModel(assembly: CloudAssembly): MeshModel {
  const world = new AssemblyModel(assembly);
  const builder: ModelBuilder = {
    m: emptyModel(world),
    attached: new Map(),
    managed: new Map(),
    groupsOfUser: new Map(),
    bucketPolicies: new Map(),
  };
  const m = builder.m;
  for (const stack of world.stacks) {
    const intent = stack.source.template.Metadata?.[PRODUCT_INTENT_METADATA_KEY] as ProductIntent | undefined;
    if (intent && typeof intent === 'object') m.products.push({ intent, stack });
    for (const [logicalId, res] of Object.entries(stack.resources))
      FIRST_PASS.get(res.Type)?.(builder, stack, logicalId, res.Type);
  }
  for (const stack of world.stacks)
    for (const [logicalId, res] of Object.entries(stack.resources))
      SECOND_PASS.get(res.Type)?.(builder, stack, logicalId, res.Type);
  for (const b of m.buckets.values()) if (b.product) pushTo(m.productBuckets, b.product, b);
  return m;
}

function emptyModel(assembly: AssemblyModel): MeshModel {
  return {
    assembly,
    products: [],
    roles: new Map(),
    buckets: new Map(),
    keys: new Map(),
    tables: new Map(),
    jobs: new Map(),
    triggers: [],
    workflows: new Map(),
    rules: [],
    firehoses: [],
    streams: new Map(),
    rulesets: [],
    alarms: [],
    grants: [],
    tagAssociations: [],
    locations: [],
    productBuckets: new Map(),
    lakeSettings: new Map(),
  };
}
