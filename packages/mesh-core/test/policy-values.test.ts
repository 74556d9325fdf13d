/**
 * Values, not spellings (issue 15, items 3 and 4): each bypass a determined team could try —
 * intrinsics spelling an AWS managed key, a Glue security configuration from outside the app or
 * chosen with Fn::If, wildcards in disguise, an empty tag through Fn::If, public key and bucket
 * policies behind always-true conditions — fails with the right MESH-* id and a message saying
 * what to do; the compliant spelling of each passes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { App, Stack, aws_kms as kms } from 'aws-cdk-lib';
import {
  evaluateStack,
  evaluateTemplate,
  evaluateTemplates,
  type PolicyRule,
  S3BucketKmsRule,
  KinesisStreamKmsRule,
  SnsTopicKmsRule,
  SqsQueueKmsRule,
  LogGroupKmsRule,
  GlueJobSecurityConfigurationRule,
  AthenaWorkgroupEncryptionRule,
  FirehoseEncryptionRule,
  MandatoryTagsRule,
  NoWildcardActionsRule,
  NoWildcardDataResourcesRule,
  S3NoPublicPolicyRule,
  KmsKeyPolicyRule,
  NoPublicResourcePolicyRule,
} from '../src/index.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TAGS = {
  domain: 'sales',
  product: 'orders',
  owner: 'team-sales',
  classification: 'internal',
  'cost-center': 'cc-1',
  'contract-version': '1.0.0',
};
const CONDITIONS = { UseAws: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } };

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Runs ONE rule over a raw template; returns `{ ruleId, message }` of each finding. */
function run(
  rule: PolicyRule,
  resources: Resources,
  extra: Record<string, unknown> = {},
): Array<{ ruleId: string; message: string }> {
  return evaluateTemplate({ Conditions: CONDITIONS, Resources: resources, ...extra }, { rules: [rule] }).map((f) => ({
    ruleId: f.ruleId,
    message: f.message,
  }));
}
const compliant = (rule: PolicyRule, resources: Resources, extra?: Record<string, unknown>) =>
  assert.deepEqual(run(rule, resources, extra), []);
function violates(rule: PolicyRule, resources: Resources, re: RegExp, extra?: Record<string, unknown>): string {
  const v = run(rule, resources, extra);
  assert.equal(v.length, 1, `expected one violation of ${rule.id}, got ${JSON.stringify(v)}`);
  assert.equal(v[0]!.ruleId, rule.id);
  assert.match(v[0]!.message, re);
  return v[0]!.message;
}

const key = { Key: { Type: 'AWS::KMS::Key', Properties: {} } };
const keyArn = { 'Fn::GetAtt': ['Key', 'Arn'] };
const bucket = (keyId: unknown): Resources => ({
  ...key,
  B: {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyId } },
        ],
      },
    },
  },
});

describe('AWS managed keys through intrinsics (MESH-ENC-*)', () => {
  it('MESH-ENC-S3: Fn::Sub alias/aws/s3, a Fn::Join ARN, a Fn::If branch, an unresolvable key', () => {
    compliant(S3BucketKmsRule, bucket(keyArn));
    compliant(S3BucketKmsRule, bucket(KEY_ARN));
    violates(
      S3BucketKmsRule,
      bucket({ 'Fn::Sub': 'alias/aws/s3' }),
      /AWS managed key alias\/aws\/s3: use the domain's customer-managed key/,
    );
    violates(
      S3BucketKmsRule,
      bucket({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':kms:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':alias/aws/s3',
          ],
        ],
      }),
      /AWS managed key arn:aws:kms:.*:alias\/aws\/s3/,
    );
    violates(
      S3BucketKmsRule,
      bucket({ 'Fn::If': ['UseAws', 'alias/aws/s3', keyArn] }),
      /AWS managed key alias\/aws\/s3 in one branch of its Fn::If/,
    );
    violates(
      S3BucketKmsRule,
      bucket({ 'Fn::If': ['UseAws', { Ref: 'AWS::NoValue' }, keyArn] }),
      /without KMSMasterKeyID in one branch of its Fn::If/,
    );
    // alias/aws/ with a part the template cannot resolve is still an AWS managed key
    violates(S3BucketKmsRule, bucket({ 'Fn::Sub': 'alias/aws/${Service}' }), /AWS managed key alias\/aws\/\*/);
    // a key the template cannot resolve at all is the worst case
    violates(
      S3BucketKmsRule,
      bucket({ Ref: 'KeyParam' }),
      /cannot be resolved from the template \(.*KeyParam.*\), so it could be an AWS managed key: reference the domain's customer-managed key/,
      { Parameters: { KeyParam: { Type: 'String' } } },
    );
  });
  it('MESH-ENC-KINESIS, -SNS, -SQS, -LOGS', () => {
    const stream = (keyId: unknown): Resources => ({
      ...key,
      S: { Type: 'AWS::Kinesis::Stream', Properties: { StreamEncryption: { EncryptionType: 'KMS', KeyId: keyId } } },
    });
    compliant(KinesisStreamKmsRule, stream(keyArn));
    violates(
      KinesisStreamKmsRule,
      stream({ 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/kinesis' }),
      /stream uses the AWS managed key .*alias\/aws\/kinesis/,
    );
    violates(
      KinesisStreamKmsRule,
      {
        S: {
          Type: 'AWS::Kinesis::Stream',
          Properties: {
            StreamEncryption: {
              'Fn::If': ['UseAws', { EncryptionType: 'KMS', KeyId: KEY_ARN }, { Ref: 'AWS::NoValue' }],
            },
          },
        },
      },
      /no StreamEncryption with EncryptionType KMS in one branch of its Fn::If/,
    );

    const topic = (k: unknown): Resources => ({
      ...key,
      T: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: k } },
    });
    compliant(SnsTopicKmsRule, topic(keyArn));
    violates(
      SnsTopicKmsRule,
      topic({ 'Fn::Join': ['', ['alias/aws/', 'sns']] }),
      /topic uses the AWS managed key alias\/aws\/sns/,
    );

    const queue = (k: unknown): Resources => ({
      ...key,
      Q: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: k } },
    });
    compliant(SqsQueueKmsRule, queue({ Ref: 'Key' }));
    violates(
      SqsQueueKmsRule,
      queue({ 'Fn::If': ['UseAws', keyArn, { 'Fn::Sub': 'alias/aws/sqs' }] }),
      /queue uses the AWS managed key alias\/aws\/sqs in one branch of its Fn::If/,
    );

    const group = (k: unknown): Resources => ({
      ...key,
      L: { Type: 'AWS::Logs::LogGroup', Properties: { KmsKeyId: k } },
    });
    compliant(LogGroupKmsRule, group(keyArn));
    violates(
      LogGroupKmsRule,
      group({ 'Fn::Sub': 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/logs' }),
      /log group uses the AWS managed key/,
    );
    violates(
      LogGroupKmsRule,
      group({ 'Fn::If': ['UseAws', { Ref: 'AWS::NoValue' }, keyArn] }),
      /no KmsKeyId in one branch of its Fn::If/,
    );
  });
});

describe('Firehose and Athena keys through intrinsics (MESH-ENC-FIREHOSE, MESH-ENC-ATHENA)', () => {
  it('an AWS managed key through Fn::Sub is refused; the CMK passes', () => {
    const firehose = (keyArn: unknown): Resources => ({
      ...key,
      F: {
        Type: 'AWS::KinesisFirehose::DeliveryStream',
        Properties: {
          DeliveryStreamType: 'DirectPut',
          DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: keyArn },
        },
      },
    });
    compliant(FirehoseEncryptionRule, firehose(keyArn));
    violates(
      FirehoseEncryptionRule,
      firehose({ 'Fn::Sub': 'arn:aws:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/firehose' }),
      /delivery stream uses the AWS managed key .*alias\/aws\/firehose/,
    );
    const workgroup = (kmsKey: unknown): Resources => ({
      ...key,
      W: {
        Type: 'AWS::Athena::WorkGroup',
        Properties: {
          Name: 'wg',
          WorkGroupConfiguration: {
            EnforceWorkGroupConfiguration: true,
            ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: kmsKey } },
          },
        },
      },
    });
    compliant(AthenaWorkgroupEncryptionRule, workgroup(keyArn));
    violates(
      AthenaWorkgroupEncryptionRule,
      workgroup({ 'Fn::If': ['UseAws', 'alias/aws/athena', keyArn] }),
      /result encryption uses the AWS managed key alias\/aws\/athena in one branch of its Fn::If/,
    );
  });
});

describe('Glue jobs (MESH-ENC-GLUE-JOB)', () => {
  const job = (sc: unknown): Resources => ({
    SC: { Type: 'AWS::Glue::SecurityConfiguration', Properties: { Name: 'sales-sc', EncryptionConfiguration: {} } },
    SC2: {
      Type: 'AWS::Glue::SecurityConfiguration',
      Properties: { Name: { 'Fn::Sub': '${AWS::StackName}-sc' }, EncryptionConfiguration: {} },
    },
    J: {
      Type: 'AWS::Glue::Job',
      Properties: {
        Role: 'r',
        Command: { Name: 'glueetl' },
        ...(sc === undefined ? {} : { SecurityConfiguration: sc }),
      },
    },
  });
  it('a configuration of the app passes, by name, Ref or Fn::Sub; every Fn::If branch must be one', () => {
    compliant(GlueJobSecurityConfigurationRule, job('sales-sc'));
    compliant(GlueJobSecurityConfigurationRule, job({ Ref: 'SC' }));
    compliant(GlueJobSecurityConfigurationRule, job({ 'Fn::Sub': '${AWS::StackName}-sc' }));
    compliant(GlueJobSecurityConfigurationRule, job({ 'Fn::If': ['UseAws', { Ref: 'SC' }, { Ref: 'SC2' }] }));
  });
  it('a configuration outside the app, chosen with Fn::If, or unresolvable is a finding', () => {
    violates(
      GlueJobSecurityConfigurationRule,
      job('shared-unencrypted-sc'),
      /'shared-unencrypted-sc' is not a security configuration of the app, so its encryption is not checked: use the domain's security configuration/,
    );
    violates(
      GlueJobSecurityConfigurationRule,
      job({ 'Fn::If': ['UseAws', { Ref: 'SC' }, { Ref: 'AWS::NoValue' }] }),
      /no SecurityConfiguration in one branch of its Fn::If/,
    );
    violates(
      GlueJobSecurityConfigurationRule,
      job({ 'Fn::If': ['UseAws', { Ref: 'SC' }, 'elsewhere'] }),
      /'elsewhere' in one branch of its Fn::If is not a security configuration of the app/,
    );
    violates(
      GlueJobSecurityConfigurationRule,
      job({ 'Fn::ImportValue': 'other-app-sc' }),
      /cannot be resolved from the template .*: name the domain's security configuration/,
    );
  });
  it('a configuration of another stack of the same assembly counts (assembly-wide)', () => {
    const a = {
      Resources: {
        SC: { Type: 'AWS::Glue::SecurityConfiguration', Properties: { Name: 'sales-sc', EncryptionConfiguration: {} } },
      },
      Outputs: { O: { Value: { Ref: 'SC' }, Export: { Name: 'sales-sc-name' } } },
    };
    const b = {
      Resources: {
        J: {
          Type: 'AWS::Glue::Job',
          Properties: {
            Role: 'r',
            Command: { Name: 'glueetl' },
            SecurityConfiguration: { 'Fn::ImportValue': 'sales-sc-name' },
          },
        },
      },
    };
    const [ea, eb] = evaluateTemplates(
      [
        { template: a, stackName: 'Domain' },
        { template: b, stackName: 'Product' },
      ],
      { rules: [GlueJobSecurityConfigurationRule] },
    );
    assert.deepEqual([...ea!.findings, ...eb!.findings], []);
  });
});

describe('wildcards in disguise (MESH-IAM-NO-WILDCARD-*)', () => {
  const policy = (actions: unknown, resources: unknown = 'arn:aws:s3:::sales-orders/*'): Resources => ({
    P: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'p',
        Roles: ['r'],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }],
        },
      },
    },
  });
  it('actions are judged by what they match in the IAM action list', () => {
    compliant(NoWildcardActionsRule, policy(['s3:GetObject*', 's3:List*']));
    violates(NoWildcardActionsRule, policy('s3:?*'), /allows 's3:\?\*', which matches every s3 action/);
    violates(NoWildcardActionsRule, policy('s3:*?'), /matches every s3 action/);
    violates(
      NoWildcardActionsRule,
      policy({ 'Fn::Sub': 's3:*' }),
      /\{"Fn::Sub":"s3:\*"\} = 's3:\*', which matches every s3 action/,
    );
    violates(NoWildcardActionsRule, policy({ 'Fn::Join': [':', ['kms', '*']] }), /matches every kms action/);
    violates(NoWildcardActionsRule, policy('*:GetObject'), /matches actions of any service/);
    violates(
      NoWildcardActionsRule,
      policy({ 'Fn::If': ['UseAws', 's3:GetObject', 'glue:*'] }),
      /'glue:\*', which matches every glue action \(in one branch of its Fn::If\)/,
    );
    // an action the template cannot resolve counts as `*`
    violates(
      NoWildcardActionsRule,
      policy({ 'Fn::Sub': 's3:${Act}' }),
      /unresolved: .*Act.*which matches every s3 action/,
      { Parameters: { Act: { Type: 'String' } } },
    );
  });
  it('resources are judged by ARN pattern: every bucket, object, stream, key, table of the account is a wildcard', () => {
    compliant(
      NoWildcardDataResourcesRule,
      policy('s3:GetObject', ['arn:aws:s3:::sales-orders', 'arn:aws:s3:::sales-orders/*']),
    );
    compliant(
      NoWildcardDataResourcesRule,
      policy('glue:GetTable', 'arn:aws:glue:eu-west-1:111111111111:table/sales/*'),
    );
    violates(
      NoWildcardDataResourcesRule,
      policy('s3:GetObject', 'arn:aws:s3:::*/*'),
      /on '\*' \('arn:aws:s3:::\*\/\*' matches every object of every bucket\)/,
    );
    violates(
      NoWildcardDataResourcesRule,
      policy('kinesis:GetRecords', { 'Fn::Sub': 'arn:aws:kinesis:${AWS::Region}:${AWS::AccountId}:stream/*' }),
      /matches every stream/,
    );
    violates(
      NoWildcardDataResourcesRule,
      policy('kms:Decrypt', 'arn:aws:kms:eu-west-1:111111111111:key/*'),
      /matches every key/,
    );
    // a key named by its alias (a replica key in another region) is one key, not every key
    const byAlias = (alias: string) => ({
      P: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'p',
          Roles: ['r'],
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
                Resource: 'arn:aws:kms:eu-central-1:111111111111:key/*',
                Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } },
              },
            ],
          },
        },
      },
    });
    compliant(NoWildcardDataResourcesRule, byAlias('alias/meshkit/replica'));
    violates(NoWildcardDataResourcesRule, byAlias('alias/*'), /matches every key/);
    violates(
      NoWildcardDataResourcesRule,
      policy('glue:GetTable', 'arn:aws:glue:eu-west-1:111111111111:table/*/*'),
      /matches every table/,
    );
    violates(
      NoWildcardDataResourcesRule,
      policy('s3:GetObject', { 'Fn::Sub': '*' }),
      /on '\*' \(\{"Fn::Sub":"\*"\} = '\*' matches every resource\)/,
    );
    violates(NoWildcardDataResourcesRule, policy('s3:?*', 'arn:aws:s3:::*'), /s3:\?\* on '\*'/);
    // a bucket name the template cannot resolve counts as `*`
    violates(
      NoWildcardDataResourcesRule,
      policy('s3:GetObject', { 'Fn::Sub': 'arn:aws:s3:::${Name}/*' }),
      /matches every object of every bucket/,
      { Parameters: { Name: { Type: 'String' } } },
    );
  });
});

describe('tags (MESH-TAG-MANDATORY)', () => {
  const tagged = (owner: unknown): Resources => ({
    Q: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        KmsMasterKeyId: KEY_ARN,
        Tags: Object.entries({ ...TAGS, owner }).map(([Key, Value]) => ({ Key, Value })),
      },
    },
  });
  it("a mandatory tag whose value is '' through Fn::If", () => {
    compliant(MandatoryTagsRule, tagged('team-sales'));
    compliant(MandatoryTagsRule, tagged({ 'Fn::If': ['UseAws', 'team-sales', 'team-sales-eu'] }));
    violates(
      MandatoryTagsRule,
      tagged({ 'Fn::If': ['UseAws', 'team-sales', ''] }),
      /empty mandatory tag owner \(in one branch of its Fn::If\)/,
    );
    violates(
      MandatoryTagsRule,
      tagged({ 'Fn::If': ['UseAws', 'team-sales', { Ref: 'AWS::NoValue' }] }),
      /empty mandatory tag owner/,
    );
    violates(MandatoryTagsRule, tagged({ 'Fn::Sub': '' }), /empty mandatory tag owner/);
    violates(
      MandatoryTagsRule,
      tagged({ Ref: 'Owner' }),
      /owner cannot be resolved from the template \(set literal values\)/,
      { Parameters: { Owner: { Type: 'String' } } },
    );
  });
});

const statement = (s: Record<string, unknown>) => ({
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::sales-orders/*',
  ...s,
});
const bucketPolicy = (...statements: Array<Record<string, unknown>>): Resources => ({
  BP: {
    Type: 'AWS::S3::BucketPolicy',
    Properties: { Bucket: 'sales-orders', PolicyDocument: { Version: '2012-10-17', Statement: statements } },
  },
});
const SSL_DENY = {
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:*',
  Resource: ['arn:aws:s3:::sales-orders', 'arn:aws:s3:::sales-orders/*'],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

describe('bucket policies (MESH-NET-S3-NO-PUBLIC-POLICY): same principal/condition logic as mesh verify', () => {
  it('conditions that limit who pass; a Deny on the organization closes an Allow to *', () => {
    compliant(
      S3NoPublicPolicyRule,
      bucketPolicy(
        SSL_DENY,
        statement({
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        }),
      ),
    );
    compliant(
      S3NoPublicPolicyRule,
      bucketPolicy(
        statement({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-sales00000' } } }),
      ),
    );
    compliant(
      S3NoPublicPolicyRule,
      bucketPolicy(statement({ Principal: { AWS: 'arn:aws:iam::111111111111:role/reader' } })),
    );
    compliant(
      S3NoPublicPolicyRule,
      bucketPolicy(statement({ Principal: '*' }), {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: 'arn:aws:s3:::sales-orders/*',
        Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-sales00000' } },
      }),
    );
  });
  it('principal * with an always-true condition, or a condition the caller chooses, is public', () => {
    violates(
      S3NoPublicPolicyRule,
      bucketPolicy(SSL_DENY, statement({ Principal: { AWS: '*' } })),
      /statement #1 .*allows Principal '\*' without a condition.*Grant to named principals, or limit a '\*' principal with aws:PrincipalOrgID/,
    );
    violates(
      S3NoPublicPolicyRule,
      bucketPolicy(
        statement({ Sid: 'Always', Principal: '*', Condition: { StringLike: { 'aws:PrincipalArn': '*' } } }),
      ),
      /statement 'Always' .*with a condition that does not limit who/,
    );
    violates(
      S3NoPublicPolicyRule,
      bucketPolicy(SSL_DENY, statement({ Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
      /with a condition that does not limit who .*aws:SecureTransport/,
    );
    violates(
      S3NoPublicPolicyRule,
      bucketPolicy(statement({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })),
      /does not limit who/,
    );
    violates(
      S3NoPublicPolicyRule,
      bucketPolicy(statement({ Principal: '*', Condition: { StringLike: { 'aws:PrincipalAccount': '*' } } })),
      /does not limit who/,
    );
  });
  it('principal {AWS: Fn::Sub "*"}, through Fn::If, unresolvable; Allow with NotPrincipal', () => {
    violates(
      S3NoPublicPolicyRule,
      bucketPolicy(statement({ Principal: { AWS: { 'Fn::Sub': '*' } } })),
      /allows Principal '\*' without a condition/,
    );
    violates(
      S3NoPublicPolicyRule,
      bucketPolicy(
        statement({ Principal: { 'Fn::If': ['UseAws', { AWS: 'arn:aws:iam::111111111111:role/reader' }, '*'] } }),
      ),
      /allows Principal '\*'/,
    );
    violates(
      S3NoPublicPolicyRule,
      bucketPolicy(statement({ Principal: { AWS: { Ref: 'Who' } } })),
      /cannot be shown to exclude other accounts/,
      { Parameters: { Who: { Type: 'String' } } },
    );
    violates(
      S3NoPublicPolicyRule,
      bucketPolicy(statement({ NotPrincipal: { AWS: 'arn:aws:iam::111111111111:role/blocked' } })),
      /Allow with NotPrincipal .* grants everyone not listed/,
    );
  });
});

describe('topic, queue and stream policies (MESH-NET-NO-PUBLIC-RESOURCE-POLICY)', () => {
  const topic = { T: { Type: 'AWS::SNS::Topic', Properties: {} } };
  const topicPolicy = (...statements: unknown[]): Resources => ({
    ...topic,
    P: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: { Topics: [{ Ref: 'T' }], PolicyDocument: { Version: '2012-10-17', Statement: statements } },
    },
  });
  it('service principals limited to the account, and named roles, pass', () => {
    compliant(
      NoPublicResourcePolicyRule,
      topicPolicy({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: 'T' },
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      }),
    );
    compliant(
      NoPublicResourcePolicyRule,
      topicPolicy({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:role/ops' },
        Action: 'sns:Subscribe',
        Resource: { Ref: 'T' },
      }),
    );
  });
  it('an Allow to "*" on a topic, a queue or a stream is public', () => {
    violates(
      NoPublicResourcePolicyRule,
      topicPolicy({ Effect: 'Allow', Principal: '*', Action: 'sns:Subscribe', Resource: { Ref: 'T' } }),
      /topic policy lets anyone in: .*Principal '\*'.*aws:SourceAccount/,
    );
    violates(
      NoPublicResourcePolicyRule,
      {
        Q: { Type: 'AWS::SQS::Queue', Properties: {} },
        P: {
          Type: 'AWS::SQS::QueuePolicy',
          Properties: {
            Queues: [{ Ref: 'Q' }],
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: '*' },
                  Action: 'sqs:ReceiveMessage',
                  Resource: { 'Fn::GetAtt': ['Q', 'Arn'] },
                },
              ],
            },
          },
        },
      },
      /queue policy lets anyone in/,
    );
    violates(
      NoPublicResourcePolicyRule,
      {
        S: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } },
        P: {
          Type: 'AWS::Kinesis::ResourcePolicy',
          Properties: {
            ResourceArn: { 'Fn::GetAtt': ['S', 'Arn'] },
            ResourcePolicy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: '*',
                  Action: 'kinesis:GetRecords',
                  Resource: { 'Fn::GetAtt': ['S', 'Arn'] },
                },
              ],
            },
          },
        },
      },
      /stream policy lets anyone in/,
    );
  });
});

describe('key policies (MESH-ENC-KEY-POLICY)', () => {
  const keyWith = (...statements: Array<Record<string, unknown>>): Resources => ({
    K: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: {
                AWS: {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
                },
              },
              Action: 'kms:*',
              Resource: '*',
            },
            ...statements,
          ],
        },
      },
    },
  });
  it("CDK's default key policy, the account root, a service, kms:CallerAccount pass", () => {
    compliant(KmsKeyPolicyRule, keyWith());
    compliant(
      KmsKeyPolicyRule,
      keyWith({
        Effect: 'Allow',
        Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*'],
        Resource: '*',
      }),
    );
    compliant(
      KmsKeyPolicyRule,
      keyWith({
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
    const stack = new Stack(new App(), 'K');
    new kms.Key(stack, 'Key', { enableKeyRotation: true });
    assert.deepEqual(evaluateStack(stack, { rules: [KmsKeyPolicyRule] }), []);
  });
  it('kms:* (or any use) to * without a condition that limits who is a finding', () => {
    violates(
      KmsKeyPolicyRule,
      keyWith({ Sid: 'Everyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }),
      /key policy lets anyone use the key: statement 'Everyone' \("kms:\*"\) allows Principal '\*' without a condition.*kms:CallerAccount/,
    );
    violates(
      KmsKeyPolicyRule,
      keyWith({
        Effect: 'Allow',
        Principal: '*',
        Action: ['kms:Decrypt'],
        Resource: '*',
        Condition: { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } },
      }),
      /does not limit who/,
    );
    violates(
      KmsKeyPolicyRule,
      keyWith({ Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': '*' } }, Action: 'kms:CreateGrant', Resource: '*' }),
      /allows Principal '\*'/,
    );
    violates(
      KmsKeyPolicyRule,
      keyWith({
        Effect: 'Allow',
        NotPrincipal: { AWS: 'arn:aws:iam::111111111111:role/x' },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
      /NotPrincipal/,
    );
  });
});
