import { basename, dirname, join, relative } from 'node:path';
import { App, Stack, aws_s3 as s3, type Environment as CdkEnvironment } from 'aws-cdk-lib';
import {
  DEFAULT_TAG_REQUIREMENTS,
  findRepoRoot,
  INPUTS_METADATA_KEY,
  manifestTags,
  MeshError,
  MESH_CONFIG_FILE,
  stackInputsHash,
  type Environment,
} from '@meshkit/contracts';
import { DataProduct, productClassification, type DataProductProps } from '../constructs/data-product.js';
import { DomainFoundation } from '../constructs/domain-foundation.js';
import { PlatformFoundation } from '../constructs/platform-foundation.js';
import { REPLICA_KEY_ALIAS, ReplicaFoundation, replicaBucketName } from '../constructs/replica-foundation.js';
import { consumersOf, domainAccounts, resolveConsumes } from './consumes.js';
import { enforceMeshPolicies, type MeshPolicyValidationPlugin } from '../policy/enforce.js';
import { MeshTags } from '../policy/mandatory-tags.js';
import type { MandatoryTags } from '../tags.js';
import type { PolicyRule } from '../policy/rule.js';
import { loadMesh, type MeshDomain, type MeshModel, type MeshProduct } from './load-mesh.js';

/** What a stack of the mesh app holds. */
export interface MeshStackInfo {
  stackName: string;
  kind: 'platform' | 'replica' | 'domain' | 'product';
  domain?: string;
  product?: string;
  /** Product folder (products only). */
  dir?: string;
}

/** Options of {@link buildMeshApp}. */
export interface MeshAppProps {
  /** The mesh to build (see `loadMesh`). */
  mesh: MeshModel;
  /** Cloud assembly directory. @default a temporary directory chosen by CDK */
  outdir?: string;
  /** Account and region to build for. @default environment-agnostic stacks */
  environment?: Environment;
  /**
   * Name of `environment` in mesh.config.yaml: a domain whose domain.yaml `accounts` names another
   * account for it lives there (its foundation and products, and a platform stack per account).
   * @default none: every stack in `environment`'s account
   */
  environmentName?: string;
  /**
   * The policy pack: `enforce` fails synth on violations; `report` leaves synth alone so the
   * caller evaluates the assembly with `validateAssembly(outdir)`; `off` leaves the pack out.
   * @default 'enforce'
   */
  policies?: 'enforce' | 'report' | 'off';
  /** Include the account-level platform stack. @default true when the whole mesh is loaded */
  platform?: boolean;
  /**
   * Build only these domains' foundation and product stacks; the rest of the mesh still answers
   * what they consume and who consumes them (a part of the mesh synthesized on its own, e.g. by
   * one of several processes). @default every domain of `mesh`
   */
  domains?: readonly string[];
  /**
   * Build only these products' stacks (`<domain>/<product>`) among the domains built; their
   * domains' foundations are built whole, but a foundation's exports are then only those the
   * built products import (a product stack synthesized on its own, e.g. by `mesh synth`'s cache
   * of one unit per product). @default every product of the domains built
   */
  products?: readonly string[];
  /**
   * The team's additions to a product stack (a product's `infra/stack.ts` `customize`), called
   * once per product after @meshkit/core built its stack; the policy pack checks them too.
   * @default none
   */
  customize?: (stack: Stack, product: MeshProduct) => void;
  /**
   * The team's additions to a domain's foundation stack (`domains/<domain>/foundation/stack.ts`
   * `customize`), called once per domain after @meshkit/core built it; the policy pack checks
   * them too.
   * @default none
   */
  customizeDomain?: (stack: Stack, domain: MeshDomain) => void;
  /** Clock of the policy pack (`enforceFrom`, suppression expiry). @default the current time at synth */
  now?: Date;
  /**
   * The rules to enforce: @meshkit/core's and the organisation's packs with the settings of
   * `mesh.config.yaml` (see `loadPolicyRules`).
   * @default MESH_POLICY_RULES
   */
  rules?: readonly PolicyRule[];
  /**
   * Folders of the organisation's policy packs: their content goes into every stack's
   * `meshkit:inputs` digest, so changing a pack makes every assembly it checked stale.
   * @default none
   */
  policyInputs?: readonly string[];
}

/** The app and what it contains. */
export interface MeshApp {
  app: App;
  stacks: MeshStackInfo[];
  /** The policy plugin (absent with `policies: 'off'`); its `lastReport` is set after synth. */
  policy: MeshPolicyValidationPlugin | undefined;
}

/**
 * Records the inputs digest (and what the stack is of, and the policy-pack folders hashed with
 * it, relative to the repository root) in a stack's template metadata.
 */
function recordInputs(
  stack: Stack,
  hash: string,
  of: { domain?: string; product?: string } = {},
  packs: readonly string[] = [],
): void {
  stack.templateOptions.metadata = {
    ...stack.templateOptions.metadata,
    [INPUTS_METADATA_KEY]: { hash, ...of, ...(packs.length ? { packs: [...packs] } : {}) },
  };
}

/** Stack name of the account-level platform stack. */
export const PLATFORM_STACK = 'mesh-platform';
/** Stack name of the replica stack of a region (the replica buckets and key of critical products). */
export const replicaStackName = (region: string): string => `mesh-replica-${region}`;
/** Stack name of a domain's foundation. */
export const domainStackName = (domain: string): string => `mesh-${domain}-foundation`;
/** Stack name of a data product. */
export const productStackName = (domain: string, product: string): string => `mesh-${domain}-${product}`;

/**
 * Builds the CDK app of a mesh: the platform stack (Lake Formation settings, catalog encryption,
 * LF-tags, the CloudTrail trail), one foundation stack per domain and one stack per product, the
 * mandatory tags from the manifests (the foundations tag themselves), and the policy pack.
 */
export function buildMeshApp(props: MeshAppProps): MeshApp {
  const { mesh } = props;
  const app = new App({
    ...(props.outdir ? { outdir: props.outdir } : {}),
    context: { 'aws:cdk:enable-path-metadata': true },
  });
  const build = buildContext(props);
  const stacks: MeshStackInfo[] = [];
  if (props.platform ?? true) {
    for (const [account, domains] of build.accountGroups())
      stacks.push(...platformStacks(app, build, account, domains));
  }
  for (const domain of mesh.domains) {
    if (props.domains && !props.domains.includes(domain.name)) continue;
    const foundation = domainStack(app, build, domain);
    stacks.push({ stackName: domainStackName(domain.name), kind: 'domain', domain: domain.name });
    for (const product of domain.products) {
      if (props.products && !props.products.includes(`${domain.name}/${product.name}`)) continue;
      stacks.push(productStack(app, build, foundation, domain, product));
    }
  }
  const policy =
    (props.policies ?? 'enforce') === 'enforce'
      ? enforceMeshPolicies(app, {
          settings: mesh.config.policy,
          ...(props.rules ? { rules: props.rules } : {}),
          ...(props.now ? { now: props.now } : {}),
        })
      : undefined;
  return { app, stacks, policy };
}

/** What every stack of {@link buildMeshApp} is built with: the props and the mesh's accounts. */
interface BuildContext {
  readonly props: MeshAppProps;
  readonly mesh: MeshModel;
  readonly org: string;
  readonly tagRequirements: Parameters<typeof manifestTags>[0];
  /** Account and region of `props.environment` (undefined for environment-agnostic stacks). */
  readonly env: CdkEnvironment | undefined;
  /** The account a domain lives in. */
  accountOf(domain: string): string | undefined;
  /** The environment of a domain's stacks. */
  envOf(domain: string): CdkEnvironment | undefined;
  /** The domains by account, in mesh order: one platform (and replica) stack per account. */
  accountGroups(): Map<string | undefined, MeshDomain[]>;
  /** Stack-name suffix of an account's platform and replica stacks (none for the environment's own). */
  suffix(account: string | undefined): string;
  /** Records the inputs digest of a stack (of a domain, a product, or the platform). */
  recordInputs(stack: Stack, of?: { domain: string; product?: MeshProduct }): void;
}

function buildContext(props: MeshAppProps): BuildContext {
  const { mesh } = props;
  const env: CdkEnvironment | undefined = props.environment
    ? { account: props.environment.account, region: props.environment.region }
    : undefined;
  const accounts = domainAccounts(mesh, props.environment, props.environmentName);
  const accountOf = (domain: string) => accounts.of(domain) ?? env?.account;
  const packDirs = (props.policyInputs ?? []).map((d) => relative(mesh.root, d).split('\\').join('/'));
  return {
    props,
    mesh,
    org: mesh.config.organisation,
    tagRequirements: mesh.config.policy.tags ?? DEFAULT_TAG_REQUIREMENTS,
    env,
    accountOf,
    envOf: (domain) => (env ? { ...env, account: accounts.of(domain) ?? env.account } : undefined),
    accountGroups: () => {
      const groups = new Map<string | undefined, MeshDomain[]>();
      for (const d of mesh.domains) groups.set(accountOf(d.name), [...(groups.get(accountOf(d.name)) ?? []), d]);
      return groups;
    },
    suffix: (account) => (account === env?.account ? '' : `-${account}`),
    recordInputs: (stack, of) => {
      const hash = stackInputsHash(mesh.root, of?.domain, of?.product?.dir, props.policyInputs);
      const what = of === undefined ? {} : { domain: of.domain, ...(of.product ? { product: of.product.name } : {}) };
      recordInputs(stack, hash, what, packDirs);
    },
  };
}

/**
 * The platform stack of an account, and its replica stack when critical products replicate
 * (to a bucket of the replica region, made by the replica stack).
 */
function platformStacks(
  app: App,
  build: BuildContext,
  account: string | undefined,
  domains: readonly MeshDomain[],
): MeshStackInfo[] {
  const { mesh, org } = build;
  const all = domains.flatMap((d) => d.products);
  const platformName = `${PLATFORM_STACK}${build.suffix(account)}`;
  const stack = new Stack(app, platformName, {
    env: build.env ? { ...build.env, account } : undefined,
    description: `${org}: data mesh platform (Lake Formation, catalog encryption, LF-tags, audit trail)`,
  });
  new PlatformFoundation(stack, 'Platform', {
    domains: domains.map((d) => d.name),
    lakeFormationAdmins: mesh.config.platform.lakeFormationAdmins,
    restrictedProducts: all
      .filter((p) => productClassification(p.manifest, p.contract) === 'restricted')
      .map((p) => ({ domain: p.domain, product: p.name })),
    organisation: org,
  });
  build.recordInputs(stack);
  const platformTags = manifestTags(build.tagRequirements);
  if (Object.keys(platformTags).length) MeshTags.apply(stack, platformTags, { required: [] });
  const stacks: MeshStackInfo[] = [{ stackName: platformName, kind: 'platform' }];

  const replicaRegion = mesh.config.platform.replicaRegion;
  const critical = all.filter(replicatesCurated);
  if (replicaRegion !== undefined && critical.length) {
    const name = `${replicaStackName(replicaRegion)}${build.suffix(account)}`;
    const replica = new Stack(app, name, {
      env: { region: replicaRegion, ...(account ? { account } : {}) },
      description: `${org}: replicas of the critical data products in ${replicaRegion}`,
    });
    new ReplicaFoundation(replica, 'Replica', {
      products: critical.map((p) => ({ domain: p.domain, product: p.name })),
      organisation: org,
    });
    build.recordInputs(replica);
    if (Object.keys(platformTags).length) MeshTags.apply(replica, platformTags, { required: [] });
    stacks.push({ stackName: name, kind: 'replica' });
  }
  return stacks;
}

/** A domain's foundation stack, with the team's `customizeDomain`. */
function domainStack(app: App, build: BuildContext, domain: MeshDomain): DomainFoundation {
  const m = domain.manifest;
  const stack = new Stack(app, domainStackName(domain.name), {
    env: build.envOf(domain.name),
    description: `${build.org}: foundation of domain ${domain.name}`,
  });
  const foundation = new DomainFoundation(stack, 'Foundation', {
    domainName: domain.name,
    owner: m.owner,
    costCenter: m.costCenter,
    consumers: build.mesh.config.consumers,
    athenaBytesScannedCutoff: m.athenaBytesScannedCutoff,
  });
  build.recordInputs(stack, { domain: domain.name });
  build.props.customizeDomain?.(stack, domain);
  const domainTags = manifestTags(build.tagRequirements, m.tags ?? {});
  if (Object.keys(domainTags).length) MeshTags.apply(stack, domainTags, { required: [] });
  return foundation;
}

/** A product's stack: its {@link DataProduct} wired to the mesh, with the team's `customize`. */
function productStack(
  app: App,
  build: BuildContext,
  foundation: DomainFoundation,
  meshDomain: MeshDomain,
  product: MeshProduct,
): MeshStackInfo {
  const { mesh, org } = build;
  const domain = meshDomain.name;
  const name = productStackName(domain, product.name);
  const stack = new Stack(app, name, {
    env: build.envOf(domain),
    description: `${org}: data product ${domain}/${product.name} v${product.contract.version}`,
  });
  const replicaRegion = mesh.config.platform.replicaRegion;
  const replicated = replicaRegion !== undefined && replicatesCurated(product);
  new DataProduct(stack, 'Product', {
    domain: foundation,
    manifest: product.manifest,
    contract: product.contract,
    productDir: product.dir,
    servedMajors: product.servedMajors,
    organisation: org,
    ...crossAccountEdges(build, product),
    ...(mesh.config.platform.alarmEmail ? { alarmEmail: mesh.config.platform.alarmEmail } : {}),
    ...(replicaRegion ? { replicaRegion } : {}),
    ...(replicated
      ? {
          replicaBucket: s3.Bucket.fromBucketName(
            stack,
            'ReplicaBucket',
            replicaBucketName({ domain, product: product.name, organisation: org, region: replicaRegion }),
          ),
          replicaKeyAlias: REPLICA_KEY_ALIAS,
        }
      : {}),
  });
  build.recordInputs(stack, { domain, product });
  build.props.customize?.(stack, product);
  MeshTags.apply(stack, {
    ...manifestTags(build.tagRequirements, meshDomain.manifest.tags ?? {}, product.manifest.tags ?? {}),
    ...productTags(product, meshDomain.manifest.costCenter),
  });
  return { stackName: name, kind: 'product', domain, product: product.name, dir: product.dir };
}

/**
 * What a product consumes, resolved against what the producers serve, and its consumers in
 * other accounts: a producer or consumer in another account than the product's is marked with
 * that account.
 */
function crossAccountEdges(
  build: BuildContext,
  product: MeshProduct,
): Pick<DataProductProps, 'consumes' | 'crossAccountConsumers'> {
  const here = build.accountOf(product.domain);
  const accountOf = (ref: string) => build.accountOf(ref.split('/')[0]!);
  const consumes = resolveConsumes(build.mesh, product).map((c) => {
    const there = accountOf(c.product);
    return there !== here && there !== undefined ? { ...c, producerAccount: there } : c;
  });
  const crossAccountConsumers = consumersOf(build.mesh, product).flatMap((c) => {
    const there = accountOf(c.product);
    return there !== here && there !== undefined ? [{ ...c, account: there }] : [];
  });
  return { consumes, ...(crossAccountConsumers.length ? { crossAccountConsumers } : {}) };
}

/**
 * Whether a product's curated zone replicates to `platform.replicaRegion` (when one is set):
 * `criticality: critical`, or — classification driving the default — a `restricted` product
 * that does not set its criticality.
 */
export function replicatesCurated(product: Pick<MeshProduct, 'manifest' | 'contract'>): boolean {
  const c = product.manifest.criticality;
  return (
    c === 'critical' || (c === undefined && productClassification(product.manifest, product.contract) === 'restricted')
  );
}

/** The mandatory tags of a product, from its manifest and contract. */
export function productTags(product: MeshProduct, domainCostCenter: string): MandatoryTags {
  return {
    domain: product.domain,
    product: product.name,
    owner: product.manifest.owner,
    classification: productClassification(product.manifest, product.contract),
    'cost-center': product.manifest.costCenter ?? domainCostCenter,
    'contract-version': product.contract.version,
  };
}

/** Options of {@link buildProductApp}. */
export interface ProductAppProps {
  /** The product folder, `domains/<domain>/products/<product>` of a repository. */
  productDir: string;
  /** The team's additions (the product's `infra/stack.ts`). @default none */
  customize?: (stack: Stack, product: MeshProduct) => void;
  /** Cloud assembly directory. @default `<productDir>/cdk.out` */
  outdir?: string;
  /** `enforce` fails synth on policy violations; `report` leaves it to `validateAssembly`. @default 'enforce' */
  policies?: 'enforce' | 'report';
}

/**
 * The app of one product, as its own `infra/app.ts` builds it: the domain foundation and the
 * product stack (what `mesh synth <domain>/<product>` builds) with the team's `customize`.
 */
export function buildProductApp(props: ProductAppProps): MeshApp & { stack: Stack } {
  const root = findRepoRoot(props.productDir);
  if (!root) throw new MeshError('USAGE', `no ${MESH_CONFIG_FILE} above ${props.productDir}`);
  const product = basename(props.productDir);
  const domain = basename(dirname(dirname(props.productDir)));
  const mesh = loadMesh(root, { domain, product });
  const built = buildMeshApp({
    mesh,
    outdir: props.outdir ?? join(props.productDir, 'cdk.out'),
    policies: props.policies ?? 'enforce',
    platform: false,
    ...(props.customize ? { customize: props.customize } : {}),
  });
  return { ...built, stack: built.app.node.findChild(productStackName(domain, product)) as Stack };
}
