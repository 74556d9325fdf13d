/**
 * Every rule of the pack: a compliant and a non-compliant case, each a stack with the resource
 * under test, synthesized, and ONE rule run over it (like cdk-nag's test/rules/utils.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  App,
  Stack,
  aws_athena as athena,
  aws_glue as glue,
  aws_iam as iam,
  aws_kinesis as kinesis,
  aws_kinesisfirehose as firehose,
  aws_kms as kms,
  aws_lakeformation as lf,
  aws_logs as logs,
  aws_s3 as s3,
  aws_sns as sns,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import {
  evaluateStack,
  MeshTags,
  type PolicyRule,
  S3BucketKmsRule,
  KinesisStreamKmsRule,
  SnsTopicKmsRule,
  SqsQueueKmsRule,
  LogGroupKmsRule,
  GlueSecurityConfigurationKmsRule,
  AthenaWorkgroupEncryptionRule,
  FirehoseEncryptionRule,
  GlueJobSecurityConfigurationRule,
  MandatoryTagsRule,
  ProductTableHasRulesetRule,
  JobEvaluatesRulesetRule,
  NoWildcardActionsRule,
  NoWildcardDataResourcesRule,
  S3SslOnlyRule,
  S3BlockPublicAccessRule,
  S3NoPublicPolicyRule,
  NoIamAllowedPrincipalsRule,
  NoGrantableAllRule,
  DataLakeSettingsSafeRule,
  S3AccessLoggingRule,
  CriticalReplicationRule,
  PRODUCT_METADATA_KEY,
} from '../src/index.js';

/** Builds a stack with `build`, synthesizes it, runs `rule`; returns the messages of its violations. */
function run(rule: PolicyRule, build: (stack: Stack) => void): string[] {
  const stack = new Stack(new App(), 'T');
  build(stack);
  return evaluateStack(stack, { rules: [rule] }).map((f) => f.message);
}
const compliant = (rule: PolicyRule, build: (stack: Stack) => void) => assert.deepEqual(run(rule, build), []);
const violates = (rule: PolicyRule, build: (stack: Stack) => void, re: RegExp) => {
  const v = run(rule, build);
  assert.equal(v.length, 1, `expected one violation of ${rule.id}, got ${JSON.stringify(v)}`);
  assert.match(v[0]!, re);
};

const key = (s: Stack) => new kms.Key(s, 'Key', { enableKeyRotation: true });
const TAGS = {
  domain: 'sales',
  product: 'orders',
  owner: 'team-sales',
  classification: 'internal',
  'cost-center': 'cc-1',
  'contract-version': '1.0.0',
};
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('ENC rules', () => {
  it('MESH-ENC-S3', () => {
    compliant(
      S3BucketKmsRule,
      (s) => new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.KMS, encryptionKey: key(s) }),
    );
    violates(S3BucketKmsRule, (s) => new s3.CfnBucket(s, 'B'), /no BucketEncryption/);
    violates(S3BucketKmsRule, (s) => new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.S3_MANAGED }), /SSE-S3/);
    violates(
      S3BucketKmsRule,
      (s) => new s3.Bucket(s, 'B', { encryption: s3.BucketEncryption.KMS_MANAGED }),
      /without KMSMasterKeyID/,
    );
    violates(
      S3BucketKmsRule,
      (s) =>
        new s3.CfnBucket(s, 'B', {
          bucketEncryption: {
            serverSideEncryptionConfiguration: [
              { serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/aws/s3' } },
            ],
          },
        }),
      /AWS managed key/,
    );
  });
  it('MESH-ENC-S3: the access-log bucket may use SSE-S3, recognised from structure', () => {
    compliant(S3BucketKmsRule, (s) => {
      const logs = new s3.Bucket(s, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED });
      new s3.Bucket(s, 'Data', {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: key(s),
        serverAccessLogsBucket: logs,
        serverAccessLogsPrefix: 'data/',
      });
    });
    // a bucket merely TAGGED or NAMED as a log bucket gets no exception
    violates(
      S3BucketKmsRule,
      (s) => {
        const b = new s3.Bucket(s, 'AccessLogs', { encryption: s3.BucketEncryption.S3_MANAGED });
        b.node.addMetadata('meshkit:role', 'access-logs');
        (b.node.defaultChild as s3.CfnBucket).tags.setTag('meshkit:access-log-bucket', 'true');
      },
      /SSE-S3/,
    );
    // logging into itself does not make a bucket a log bucket
    violates(
      S3BucketKmsRule,
      (s) => {
        const b = new s3.CfnBucket(s, 'Self', {
          bucketEncryption: {
            serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
          },
        });
        b.loggingConfiguration = { destinationBucketName: b.ref };
      },
      /SSE-S3/,
    );
  });
  it('MESH-ENC-KINESIS', () => {
    compliant(
      KinesisStreamKmsRule,
      (s) => new kinesis.Stream(s, 'S', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key(s) }),
    );
    violates(KinesisStreamKmsRule, (s) => new kinesis.CfnStream(s, 'S', { shardCount: 1 }), /no StreamEncryption/);
    violates(
      KinesisStreamKmsRule,
      (s) => new kinesis.Stream(s, 'S', { encryption: kinesis.StreamEncryption.MANAGED }),
      /alias\/aws\/kinesis/,
    );
  });
  it('MESH-ENC-SNS', () => {
    compliant(SnsTopicKmsRule, (s) => new sns.Topic(s, 'T', { masterKey: key(s) }));
    violates(SnsTopicKmsRule, (s) => new sns.Topic(s, 'T'), /no KmsMasterKeyId/);
  });
  it('MESH-ENC-SQS (SQS-managed SSE is not enough)', () => {
    compliant(
      SqsQueueKmsRule,
      (s) => new sqs.Queue(s, 'Q', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key(s) }),
    );
    violates(
      SqsQueueKmsRule,
      (s) => new sqs.Queue(s, 'Q', { encryption: sqs.QueueEncryption.SQS_MANAGED }),
      /SQS-managed SSE only/,
    );
    violates(SqsQueueKmsRule, (s) => new sqs.CfnQueue(s, 'Q'), /no KmsMasterKeyId/);
  });
  it('MESH-ENC-LOGS', () => {
    compliant(LogGroupKmsRule, (s) => new logs.LogGroup(s, 'L', { encryptionKey: key(s) }));
    violates(LogGroupKmsRule, (s) => new logs.LogGroup(s, 'L'), /no KmsKeyId/);
  });
  it('MESH-ENC-GLUE-SECURITY-CONFIG', () => {
    const cfg = (bookmarks: string) => ({
      s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: KEY_ARN }],
      cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: KEY_ARN },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: bookmarks, kmsKeyArn: KEY_ARN },
    });
    compliant(
      GlueSecurityConfigurationKmsRule,
      (s) => new glue.CfnSecurityConfiguration(s, 'SC', { name: 'sc', encryptionConfiguration: cfg('CSE-KMS') }),
    );
    violates(
      GlueSecurityConfigurationKmsRule,
      (s) => new glue.CfnSecurityConfiguration(s, 'SC', { name: 'sc', encryptionConfiguration: cfg('DISABLED') }),
      /job bookmarks/,
    );
    violates(
      GlueSecurityConfigurationKmsRule,
      (s) => new glue.CfnSecurityConfiguration(s, 'SC', { name: 'sc', encryptionConfiguration: {} }),
      /S3 encryption.*CloudWatch.*bookmarks/,
    );
  });
  it('MESH-ENC-ATHENA', () => {
    compliant(
      AthenaWorkgroupEncryptionRule,
      (s) =>
        new athena.CfnWorkGroup(s, 'W', {
          name: 'w',
          workGroupConfiguration: {
            enforceWorkGroupConfiguration: true,
            resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: KEY_ARN } },
          },
        }),
    );
    violates(
      AthenaWorkgroupEncryptionRule,
      (s) =>
        new athena.CfnWorkGroup(s, 'W', {
          name: 'w',
          workGroupConfiguration: {
            enforceWorkGroupConfiguration: false,
            resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: KEY_ARN } },
          },
        }),
      /EnforceWorkGroupConfiguration/,
    );
    violates(
      AthenaWorkgroupEncryptionRule,
      (s) =>
        new athena.CfnWorkGroup(s, 'W', {
          name: 'w',
          workGroupConfiguration: {
            enforceWorkGroupConfiguration: true,
            resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_S3' } },
          },
        }),
      /SSE_S3/,
    );
  });
  it('MESH-ENC-FIREHOSE (CMK, or an encrypted Kinesis source)', () => {
    const dest = { bucketArn: 'arn:aws:s3:::b', roleArn: 'arn:aws:iam::111111111111:role/r' };
    compliant(
      FirehoseEncryptionRule,
      (s) =>
        new firehose.CfnDeliveryStream(s, 'F', {
          deliveryStreamType: 'DirectPut',
          extendedS3DestinationConfiguration: dest,
          deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: key(s).keyArn },
        }),
    );
    violates(
      FirehoseEncryptionRule,
      (s) =>
        new firehose.CfnDeliveryStream(s, 'F', {
          deliveryStreamType: 'DirectPut',
          extendedS3DestinationConfiguration: dest,
        }),
      /CUSTOMER_MANAGED_CMK/,
    );
    const fromStream = (enc: boolean) => (s: Stack) => {
      const st = enc
        ? new kinesis.Stream(s, 'S', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key(s) })
        : new kinesis.Stream(s, 'S', { encryption: kinesis.StreamEncryption.UNENCRYPTED });
      new firehose.CfnDeliveryStream(s, 'F', {
        deliveryStreamType: 'KinesisStreamAsSource',
        extendedS3DestinationConfiguration: dest,
        kinesisStreamSourceConfiguration: { kinesisStreamArn: st.streamArn, roleArn: dest.roleArn },
      });
    };
    compliant(FirehoseEncryptionRule, fromStream(true));
    violates(FirehoseEncryptionRule, fromStream(false), /source Kinesis stream .* is not encrypted/);
  });
  it('MESH-ENC-GLUE-JOB', () => {
    const job = (sc?: string) => (s: Stack) => {
      new glue.CfnSecurityConfiguration(s, 'SC', { name: 'sales-sc', encryptionConfiguration: {} });
      new glue.CfnJob(s, 'J', {
        role: 'arn:aws:iam::111111111111:role/r',
        command: { name: 'glueetl', scriptLocation: 's3://b/j.py' },
        ...(sc ? { securityConfiguration: sc } : {}),
      });
    };
    compliant(GlueJobSecurityConfigurationRule, job('sales-sc'));
    violates(GlueJobSecurityConfigurationRule, job(), /no SecurityConfiguration/);
    violates(
      GlueJobSecurityConfigurationRule,
      job('elsewhere-sc'),
      /'elsewhere-sc' is not a security configuration of the app/,
    );
  });
});

describe('TAG rules', () => {
  it('MESH-TAG-MANDATORY (list-shaped tags)', () => {
    compliant(MandatoryTagsRule, (s) => {
      new s3.Bucket(s, 'B');
      MeshTags.apply(s, TAGS);
    });
    violates(
      MandatoryTagsRule,
      (s) => {
        new s3.Bucket(s, 'B');
      },
      /missing mandatory tags domain, product, owner/,
    );
    violates(
      MandatoryTagsRule,
      (s) =>
        new sns.CfnTopic(s, 'T', {
          tags: [...Object.entries(TAGS).map(([k, v]) => ({ key: k, value: k === 'owner' ? '' : v }))],
        }),
      /empty mandatory tag owner/,
    );
  });
  it('MESH-TAG-MANDATORY (map-shaped tags: Glue job)', () => {
    const job = (tags: Record<string, string>) => (s: Stack) =>
      new glue.CfnJob(s, 'J', { role: 'r', command: { name: 'glueetl' }, tags });
    compliant(MandatoryTagsRule, job(TAGS));
    const { 'cost-center': _omit, ...withoutCostCenter } = TAGS;
    violates(MandatoryTagsRule, job(withoutCostCenter), /missing mandatory tag cost-center/);
    violates(MandatoryTagsRule, job({ ...TAGS, domain: ' ' }), /empty mandatory tag domain/);
  });
});

describe('DQ rules', () => {
  const table = (
    s: Stack,
    params: Record<string, string> = { 'meshkit:contract-id': 'urn:sales:orders' },
    name = 'orders_v1',
  ) =>
    new glue.CfnTable(s, 'Table', {
      catalogId: '111111111111',
      databaseName: 'sales',
      tableInput: { name, parameters: params },
    });
  const ruleset = (s: Stack, tableName: unknown = 'orders_v1', dqdl = 'Rules = [ RowCount > 0 ]') =>
    new glue.CfnDataQualityRuleset(s, 'Ruleset', {
      name: 'sales-orders-v1-dq',
      ruleset: dqdl,
      targetTable: { databaseName: 'sales', tableName: tableName as string },
    });
  const job = (s: Stack, args: Record<string, string> = {}) =>
    new glue.CfnJob(s, 'Job', {
      role: 'r',
      command: { name: 'glueetl' },
      securityConfiguration: 'sc',
      defaultArguments: args,
    });

  it('MESH-DQ-TABLE-RULESET', () => {
    compliant(ProductTableHasRulesetRule, (s) => {
      table(s);
      ruleset(s);
    });
    compliant(ProductTableHasRulesetRule, (s) => {
      const t = table(s);
      ruleset(s, t.ref);
    }); // TargetTable by Ref
    violates(
      ProductTableHasRulesetRule,
      (s) => {
        table(s);
      },
      /no Glue Data Quality ruleset/,
    );
    violates(
      ProductTableHasRulesetRule,
      (s) => {
        table(s);
        ruleset(s, 'other_v1');
      },
      /no Glue Data Quality ruleset/,
    );
    violates(
      ProductTableHasRulesetRule,
      (s) => {
        table(s, {});
      },
      /no Glue Data Quality ruleset/,
    ); // recognised by name <product>_v<major>
    // Every table is checked, not only product output tables: a raw table is declared staging (meshkit:staging = reason).
    violates(
      ProductTableHasRulesetRule,
      (s) => {
        table(s, {}, 'orders_raw');
      },
      /orders_raw has no Glue Data Quality ruleset .*not declared a staging table/,
    );
    compliant(ProductTableHasRulesetRule, (s) => {
      table(s, { 'meshkit:staging': 'raw records, checked by the product job' }, 'orders_raw');
    });
    compliant(ProductTableHasRulesetRule, (s) => {
      table(s, {}, 'orders_raw');
      ruleset(s, 'orders_raw');
    });
    // A ruleset Glue would refuse does not count: parsed with the strict DQDL parser.
    violates(
      ProductTableHasRulesetRule,
      (s) => {
        table(s);
        ruleset(s, 'orders_v1', 'Rules = []\n');
      },
      /ruleset Ruleset of Glue table orders_v1 is not DQDL that Glue accepts: line 1:1: No rules or analyzers provided/,
    );
    violates(
      ProductTableHasRulesetRule,
      (s) => {
        table(s);
        ruleset(s, 'orders_v1', 'Rules = [\n  RowCount > 0,\n  RowCount < 1e+21\n]\n');
      },
      /line 3:14: expected a number .*RowCount < 1e\+21/,
    );
    violates(
      ProductTableHasRulesetRule,
      (s) => {
        table(s);
        ruleset(s, 'orders_v1', 'Rules = [ ColumnValues "s" matches "12:30" ]');
      },
      /not DQDL that Glue accepts/,
    );
  });
  it('MESH-DQ-JOB-EVALUATES (--dq-ruleset-name)', () => {
    compliant(JobEvaluatesRulesetRule, (s) => {
      table(s);
      ruleset(s);
      job(s, { '--dq-ruleset-name': 'sales-orders-v1-dq' });
    });
    compliant(JobEvaluatesRulesetRule, (s) => {
      table(s);
      const r = ruleset(s);
      job(s, { '--dq-ruleset-name': r.ref });
    });
    violates(
      JobEvaluatesRulesetRule,
      (s) => {
        table(s);
        ruleset(s);
        job(s, { '--job-bookmark-option': 'job-bookmark-enable' });
      },
      /no Glue job .* passes the table's ruleset \(sales-orders-v1-dq\)/,
    );
  });
});

describe('IAM rules', () => {
  const policy =
    (actions: string[], resources: string[], effect = iam.Effect.ALLOW) =>
    (s: Stack) => {
      const role = new iam.Role(s, 'R', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
      role.addToPolicy(new iam.PolicyStatement({ effect, actions, resources }));
    };
  it('MESH-IAM-NO-WILDCARD-ACTION', () => {
    compliant(
      NoWildcardActionsRule,
      policy(['s3:GetObject*', 's3:ListBucket'], ['arn:aws:s3:::b', 'arn:aws:s3:::b/*']),
    );
    compliant(NoWildcardActionsRule, policy(['s3:*'], ['arn:aws:s3:::b'], iam.Effect.DENY));
    compliant(NoWildcardActionsRule, (s) => new kms.Key(s, 'K')); // key policies (kms:* to the account root) are exempt
    violates(NoWildcardActionsRule, policy(['s3:*'], ['arn:aws:s3:::b']), /allows 's3:\*'/);
    violates(
      NoWildcardActionsRule,
      (s) =>
        new iam.CfnRole(s, 'R', {
          assumeRolePolicyDocument: {},
          policies: [
            { policyName: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
          ],
        }),
      /inline policy 'p' allows '\*'/,
    );
    violates(
      NoWildcardActionsRule,
      (s) =>
        new iam.CfnManagedPolicy(s, 'M', {
          policyDocument: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] },
        }),
      /NotAction/,
    );
  });
  it('MESH-IAM-NO-WILDCARD-DATA-RESOURCE', () => {
    compliant(NoWildcardDataResourcesRule, policy(['s3:GetObject'], ['arn:aws:s3:::b/*']));
    compliant(NoWildcardDataResourcesRule, policy(['cloudwatch:PutMetricData', 'xray:PutTraceSegments'], ['*']));
    compliant(NoWildcardDataResourcesRule, policy(['s3:PutBucketNotification'], ['*'])); // documented CDK exception
    violates(
      NoWildcardDataResourcesRule,
      policy(['s3:GetObject', 'kms:Decrypt'], ['*']),
      /allows s3:GetObject, kms:Decrypt on '\*'/,
    );
    violates(
      NoWildcardDataResourcesRule,
      policy(['glue:GetTable'], ['arn:aws:glue:eu-west-1:111111111111:*']),
      /glue:GetTable on '\*'/,
    );
  });
});

describe('NET rules', () => {
  it('MESH-NET-S3-SSL-ONLY', () => {
    compliant(S3SslOnlyRule, (s) => new s3.Bucket(s, 'B', { enforceSSL: true }));
    violates(S3SslOnlyRule, (s) => new s3.Bucket(s, 'B'), /aws:SecureTransport/);
  });
  it('MESH-NET-S3-BLOCK-PUBLIC', () => {
    compliant(
      S3BlockPublicAccessRule,
      (s) => new s3.Bucket(s, 'B', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL }),
    );
    violates(
      S3BlockPublicAccessRule,
      (s) => new s3.Bucket(s, 'B', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS }),
      /BlockPublicPolicy, RestrictPublicBuckets/,
    );
  });
  it('MESH-NET-S3-NO-PUBLIC-POLICY', () => {
    const stmt = (principal: iam.IPrincipal, conditions?: Record<string, unknown>) => (s: Stack) =>
      new s3.Bucket(s, 'B').addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [principal],
          actions: ['s3:GetObject'],
          resources: ['arn:aws:s3:::b/*'],
          ...(conditions ? { conditions } : {}),
        }),
      );
    compliant(S3NoPublicPolicyRule, stmt(new iam.ServicePrincipal('logging.s3.amazonaws.com')));
    compliant(S3NoPublicPolicyRule, stmt(new iam.AnyPrincipal(), { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } }));
    violates(S3NoPublicPolicyRule, stmt(new iam.AnyPrincipal()), /Principal '\*' without a condition/);
  });
});

describe('LF rules', () => {
  const grant =
    (principal: string, grantable: string[] = []) =>
    (s: Stack) =>
      new lf.CfnPrincipalPermissions(s, 'G', {
        catalog: '111111111111',
        principal: { dataLakePrincipalIdentifier: principal },
        permissions: ['SELECT'],
        permissionsWithGrantOption: grantable,
        resource: { table: { catalogId: '111111111111', databaseName: 'sales', name: 'orders_v1' } },
      });
  const ADMIN = 'arn:aws:iam::111111111111:role/lf-admin';
  const settings = (s: Stack, extra: Partial<lf.CfnDataLakeSettingsProps> = {}) =>
    new lf.CfnDataLakeSettings(s, 'Settings', {
      admins: [{ dataLakePrincipalIdentifier: ADMIN }],
      mutationType: 'APPEND',
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      ...extra,
    });
  it('MESH-LF-NO-IAM-ALLOWED-PRINCIPALS', () => {
    compliant(NoIamAllowedPrincipalsRule, grant('arn:aws:iam::222222222222:role/consumer'));
    violates(NoIamAllowedPrincipalsRule, grant('IAM_ALLOWED_PRINCIPALS'), /IAM_ALLOWED_PRINCIPALS/);
    violates(
      NoIamAllowedPrincipalsRule,
      (s) =>
        new lf.CfnPermissions(s, 'P', {
          dataLakePrincipal: { dataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' },
          resource: { databaseResource: { name: 'sales' } },
          permissions: ['ALL'],
        }),
      /IAM_ALLOWED_PRINCIPALS/,
    );
  });
  it('MESH-LF-NO-GRANTABLE-ALL (admins excepted)', () => {
    compliant(NoGrantableAllRule, (s) => {
      settings(s);
      grant(ADMIN, ['ALL'])(s);
    });
    compliant(NoGrantableAllRule, grant('arn:aws:iam::222222222222:role/consumer', ['SELECT']));
    violates(
      NoGrantableAllRule,
      (s) => {
        settings(s);
        grant('arn:aws:iam::222222222222:role/consumer', ['ALL'])(s);
      },
      /not a data lake admin/,
    );
  });
  it('MESH-LF-SETTINGS', () => {
    compliant(DataLakeSettingsSafeRule, (s) => settings(s));
    violates(
      DataLakeSettingsSafeRule,
      (s) => settings(s, { mutationType: undefined as unknown as string }),
      /MutationType is not set/,
    );
    violates(
      DataLakeSettingsSafeRule,
      (s) => settings(s, { createTableDefaultPermissions: undefined as never }),
      /CreateTableDefaultPermissions is not set/,
    );
  });
});

describe('LOG and DR rules', () => {
  it('MESH-LOG-S3-ACCESS (the log bucket itself is exempt)', () => {
    compliant(S3AccessLoggingRule, (s) => {
      const logsBucket = new s3.Bucket(s, 'Logs');
      new s3.Bucket(s, 'Data', { serverAccessLogsBucket: logsBucket, serverAccessLogsPrefix: 'data/' });
    });
    violates(S3AccessLoggingRule, (s) => new s3.Bucket(s, 'Data'), /no server access logging/);
  });
  it('MESH-DR-CRITICAL-REPLICATION (recognised by meshkit:product metadata)', () => {
    const curated = (criticality: string, replicate: boolean) => (s: Stack) => {
      const b = new s3.CfnBucket(s, 'Curated', {
        versioningConfiguration: { status: 'Enabled' },
        ...(replicate
          ? {
              replicationConfiguration: {
                role: 'arn:aws:iam::111111111111:role/rep',
                rules: [{ status: 'Enabled', destination: { bucket: 'arn:aws:s3:::replica' } }],
              },
            }
          : {}),
      });
      b.addMetadata(PRODUCT_METADATA_KEY, {
        domain: 'sales',
        product: 'orders',
        classification: 'internal',
        criticality,
        zone: 'curated',
      });
    };
    compliant(CriticalReplicationRule, curated('critical', true));
    compliant(CriticalReplicationRule, curated('standard', false));
    violates(CriticalReplicationRule, curated('critical', false), /no enabled ReplicationConfiguration/);
  });
});
