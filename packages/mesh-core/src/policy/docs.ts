/** Renders docs/policy-rules.md from the rule objects (a test keeps the file in sync). */
import { MESH_KNOWN_RESOURCE_TYPES } from './known-types.js';
import { MESH_POLICY_RULES } from './pack.js';
import type { PolicyRule } from './rule.js';
import { SUPPRESSION_EXPIRED_ID, SUPPRESSION_INVALID_ID, SUPPRESSION_TOO_LONG_ID } from './suppression.js';
import { MESH_POLICY_PACK_VERSION } from './version.js';
import {
  CONTRACT_ID_PARAMETER,
  DQ_RULESET_ARGUMENT,
  MIN_STAGING_REASON_LENGTH,
  STAGING_PARAMETER,
} from './glue-structure.js';
import { DEFAULT_MAX_SUPPRESSION_DAYS, DEFAULT_TAG_REQUIREMENTS } from '@meshkit/contracts';
import { MESH_TAG_PRIORITY } from './mandatory-tags.js';
import { PRODUCT_METADATA_KEY } from './rules/dr/critical-replication.js';
import { DATA_SERVICES, WILDCARD_RESOURCE_EXCEPTIONS } from './rules/iam/no-wildcard-data-resources.js';
import { MESH_TAGGABLE_TYPES } from './taggable-types.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown of docs/policy-rules.md. */
export function renderPolicyRulesMarkdown(rules: readonly PolicyRule[] = MESH_POLICY_RULES): string {
  const out: string[] = [
    '# Policy rules of @meshkit/core',
    '',
    `<!-- Generated from the rule objects (src/policy/rules/**) by renderPolicyRulesMarkdown(); test/policy-docs.test.ts fails when this file is stale. Regenerate: UPDATE_DOCS=1 node --conditions=development --import tsx --test test/policy-docs.test.ts -->`,
    '',
    `Pack version ${MESH_POLICY_PACK_VERSION}. A violation is an error (fails synth) unless the rule's \`enforceFrom\` date is in the future (then a warning) or a suppression covers it.`,
    '',
    '| id | area | title | since | enforceFrom |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| \`${r.id}\` | ${r.area} | ${cell(r.title)} | ${r.since} | ${r.enforceFrom ?? '—'} |`),
    '',
  ];
  for (const r of rules) {
    out.push(
      `## ${r.id}`,
      '',
      `**${cell(r.title)}** (area ${r.area}, since ${r.since}, ${r.enforceFrom ? `warning until ${r.enforceFrom}` : 'enforced'})`,
      '',
    );
    if (r.resourceTypes) out.push(`Resources: ${r.resourceTypes.map((t) => `\`${t}\``).join(', ')}`, '');
    out.push(`Rationale: ${r.rationale}`, '', `Fix: ${r.fix}`, '');
  }
  out.push(
    '## Suppressions',
    '',
    '`suppress(construct, ruleId, { reason, expires })` writes `{ ruleId, reason, expires }` into the `meshkit:suppressions` Metadata of the CloudFormation resource (the L1 itself or `node.defaultChild` of an L2). The reason is required (at least 10 characters) and `expires` is an ISO date (`YYYY-MM-DD`, valid through that day, UTC) or date-time; otherwise `suppress` throws a MeshError at once. Every suppression appears in the report with its expiry.',
    '',
    `- \`${SUPPRESSION_EXPIRED_ID}\` (error): the suppression's expiry has passed; it no longer suppresses anything.`,
    `- \`${SUPPRESSION_INVALID_ID}\` (error): a \`meshkit:suppressions\` entry without rule id, reason or valid expiry (e.g. written with addMetadata by hand); it suppresses nothing.`,
    `- \`${SUPPRESSION_TOO_LONG_ID}\` (error): the suppression's \`expires\` is more than \`policy.maxSuppressionDays\` days after the synth (mesh.config.yaml; default ${DEFAULT_MAX_SUPPRESSION_DAYS}); a date-only expiry counts from the start of its day, so with 180 days the latest date is the day 180 days from now. It suppresses nothing; the message names the limit, the setting and the latest allowed date. Set an earlier date and renew the suppression when it expires (a renewal is a reviewed change).`,
    '',
    'CDK acknowledgements (`Validations.of(x).acknowledge`) cannot silence the pack: its errors are reported with severity `fatal`.',
    '',
    '## How the pack runs',
    '',
    "- `enforceMeshPolicies(app, { tags?, rules?, now? })` registers a CDK policy-validation plugin (`Validations.of(app).addPlugins`). After synthesis it reads every template of the assembly, so L1 escape hatches and overrides (`addPropertyOverride`, `addPropertyDeletionOverride`, `addDeletionOverride`) are checked as deployed. Error findings fail synth with lines `MESH-… <construct path>: <message>`. `CDK_VALIDATION=false` only turns off CDK's built-in CloudFormation validation, not this plugin.",
    '- `validateAssembly(cdkOutDir | app)` returns the JSON-serialisable report behind `mesh policy report` (per stack: findings, warnings, suppressions with expiry); `formatPolicyReport` renders it as text.',
    "- Templates of one assembly are evaluated together: `Fn::ImportValue` is followed to the exporting stack (e.g. a product bucket logging into the domain's access-log bucket).",
    "- **Nested stacks** (CDK `NestedStack`) are evaluated as part of their stack: their templates are file assets of the top-level stack (`*.nested.template.json`, found through the asset manifests of the assembly from the parent's `AWS::CloudFormation::Stack` `TemplateURL`; CDK's validation context lists only top-level stacks), at any depth. A nested stack has its parent's kind (a NestedStack in a product stack is part of the product); its findings are reported in the parent's stack with the nested construct path (`mesh-sales-orders/<Nested>/<Resource>`). A nested stack whose template is not in the assembly is MESH-RES-UNKNOWN-TYPE.",
    '- **Resource types are case-insensitive** (as for CloudFormation): a `CfnResource` of type `aws::s3::bucket` is an `AWS::S3::Bucket` for every rule.',
    '',
    '## Conventions the rules rely on',
    '',
    `- **Mandatory tags** are applied by \`MeshTags.apply(scope, tags)\` (or \`enforceMeshPolicies(app, { tags })\`) at tag priority ${MESH_TAG_PRIORITY}, above the defaults of \`Tags.of(x).add\` (100) and \`Tags.of(x).remove\` (200): a default-priority removal is undone. A removal at a higher priority wins in CDK, and then MESH-TAG-MANDATORY fails synth. Checked types: ${Object.keys(
      MESH_TAGGABLE_TYPES,
    )
      .map((t) => `\`${t}\``)
      .join(
        ', ',
      )} (list-shaped \`[{Key, Value}]\` and map-shaped tags both read). Plain \`CfnResource\`s of these types (which CDK cannot tag) are tagged by a property override.`,
    `- **Product output table**: a Glue table whose \`TableInput.Parameters\` carry \`${CONTRACT_ID_PARAMETER}\`, or whose name is \`<product>_v<major>\`. Raw/staging tables must carry neither.`,
    `- **Staging table**: a Glue table that only stages data on its way to a checked output declares it with the table parameter \`${STAGING_PARAMETER}\` = the reason (a literal text of at least ${MIN_STAGING_REASON_LENGTH} characters), written by \`markStagingTable(table, reason)\` (the \`CfnTable\`, a \`ProductTable\` or a construct whose defaultChild is the table). It then needs no ruleset (MESH-DQ-TABLE-RULESET); a product output table is never exempted. The raw table of a stream product, \`<product>_v<major>_raw\` (ProductStreamIngestion), is declared staging. \`mesh policy report\` lists every staging table with its reason (\`stagingTables\` per stack in JSON).`,
    `- **Ruleset passed to the job**: the Glue job's \`DefaultArguments\` (or a Glue trigger action's \`Arguments\`) key \`${DQ_RULESET_ARGUMENT}\` equals the ruleset's \`Name\` (or refers to the ruleset resource).`,
    `- **Critical product**: DataProduct writes the resource Metadata \`${PRODUCT_METADATA_KEY}\` = \`{ domain, product, classification, criticality, zone? }\` on its curated bucket; \`criticality: "critical"\` (and \`zone\` absent or \`curated\`) requires replication.`,
    "- **Access-log bucket**: a bucket named by other buckets' `LoggingConfiguration.DestinationBucketName` (by `Ref`, literal name, or `Fn::ImportValue` of its export). It may use SSE-S3 and needs no access logging of its own. Tags, names or metadata do not make a bucket a log bucket.",
    `- **Data services** for MESH-IAM-NO-WILDCARD-DATA-RESOURCE: ${DATA_SERVICES.join(', ')}. Actions allowed on \`*\`: ${WILDCARD_RESOURCE_EXCEPTIONS.map((a) => `\`${a}\``).join(', ')}.`,
    `- **Known resource types** (MESH-RES-UNKNOWN-TYPE; one list, src/policy/known-types.ts): ${MESH_KNOWN_RESOURCE_TYPES.map((t) => `\`${t}\``).join(', ')}. A product or domain stack is recognised by its \`meshkit:inputs\` Metadata (domain and product, or domain only); the platform and replica stacks are not checked for unknown types.`,
    '- **Platform allow-lists** (mesh.config.yaml `policy`, each entry `{ type, reason }`, the reason required): `allowedResourceTypes` lists more CloudFormation types for product and domain stacks (matched case-insensitively); `allowedCustomResources` lists Lambda-backed custom resources by type (`Custom::Name`, or `AWS::CloudFormation::CustomResource`) and AwsCustomResource SDK calls by `service:Action` (IAM spelling, e.g. `s3:GetBucketLocation`; `S3`/`@aws-sdk/client-s3` and `getBucketLocation`/`GetBucketLocationCommand` are read the same), one entry per call; `Custom::AWS` as a type allows no call. Calls that change encryption, public access, policies, tags or permissions, or create data stores, are refused whatever the allow-list (MESH-RES-DEPLOY-MUTATION).',
    '- **Key policies** (`AWS::KMS::Key`) are not checked by the IAM rules: a key policy always has `Resource: *`, and its root statement (`kms:*` to the account) delegates to IAM.',
    '',
    '## Organisation packs, rule settings and mandatory tags',
    '',
    "- **Packs** (`mesh.config.yaml` `policy.packs`): npm packages (e.g. the workspace `platform/policies`, rendered by `mesh new platform`) whose module exports `rules`, a list of `PolicyRule` — the same API as these rules. `loadPolicyRules(root, config)` loads them after this pack; `mesh synth`, `mesh policy report` and `mesh fleet` run them and name each finding's pack and version. A pack that cannot be found, fails to load, exports no rules, exports something that is not a rule, or reuses a rule id (of this pack, another pack or itself) stops the command with exit 2 naming the pack and the id. A pack's sources are inputs of every stack (`meshkit:inputs` digest; turbo `synth` inputs `platform/policies/src/**`).",
    "- **Rule settings** (`policy.rules.<id>`, for any rule): `level` `off` (not run), `warning` (reported, never fails) or `error`; `enforceFrom` (`YYYY-MM-DD`, UTC) overrides the rule's own date. An id no pack defines is refused at its line of mesh.config.yaml.",
    "- **Warn, then enforce**: a warning carries `enforceFrom`, the day it becomes an error (a rule's date, or a finding's own — a mandatory tag key introduced with a date). `mesh policy report --now <date>` judges any day; `--upcoming 30d` lists what becomes an error (and which suppressions expire) within the period.",
    `- **Mandatory tags** (\`policy.tags\`): keys, each optionally with \`pattern\`, \`values\`, \`default\` and \`enforceFrom\`; default the six keys Meshkit sets (${DEFAULT_TAG_REQUIREMENTS.map((r) => `\`${r.key}\``).join(', ')}). Other keys take their value from product.yaml \`tags:\`, else domain.yaml \`tags:\`, else \`default\` (the platform stacks: \`default\`, else \`-\`). A missing value or one breaking its pattern is a manifest lint error (MANIFEST-TAG-REQUIRED, MANIFEST-TAG-VALUE) at \`file:line:col\` before any synth — a warning before the key's \`enforceFrom\` — and MESH-TAG-MANDATORY checks every resource.`,
    '',
  );
  return out.join('\n');
}
