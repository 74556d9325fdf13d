import { Stack, aws_iam as iam, type aws_kms as kms } from 'aws-cdk-lib';
import { KEY_READ_ACTIONS, KEY_USE_ACTIONS } from './foundation-defaults.js';

/**
 * Key-policy statements of the foundation keys. Each function adds one statement (`Sid` given)
 * to the key's resource policy; `Resource: "*"` in a key policy means "this key".
 */

const sidOf = (service: string): string => service.charAt(0).toUpperCase() + service.slice(1);

/**
 * Lets IAM principals of the key's account use the key through each service in `services`
 * (`kms:ViaService` = `<service>.<region>.amazonaws.com`, `kms:CallerAccount` = the account):
 * one statement per service, `Sid` `AllowUseVia<Service>`.
 */
export function allowUseViaServices(key: kms.Key, services: readonly string[]): void {
  const { account, region } = Stack.of(key);
  for (const service of services) {
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `AllowUseVia${sidOf(service)}`,
        principals: [new iam.AccountRootPrincipal()],
        actions: KEY_USE_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:ViaService': `${service}.${region}.amazonaws.com`,
            'kms:CallerAccount': account,
          },
        },
      }),
    );
  }
}

/**
 * Lets CloudWatch Logs of the key's region (`logs.<region>.amazonaws.com`) encrypt log groups of
 * the key's account (encryption-context condition on `aws:logs:arn`); used by encrypted log
 * groups and Glue security configurations.
 */
export function allowCloudWatchLogs(key: kms.Key): void {
  const { account, region, partition } = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogs',
      principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
      },
    }),
  );
}

/**
 * Lets AWS services that publish on their own behalf (`principals`: CloudWatch alarms,
 * EventBridge, S3 notifications) write to topics and queues encrypted with the key, only for
 * resources of the key's account (`aws:SourceAccount`).
 */
export function allowServicePublishers(key: kms.Key, principals: readonly string[]): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowServicePublishers',
      principals: principals.map((p) => new iam.ServicePrincipal(p)),
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(key).account } },
    }),
  );
}

/**
 * Lets the given roles (possibly in other accounts) decrypt and describe through the given
 * services only (`kms:ViaService`). Nothing is added when `roleArns` is empty.
 */
export function allowReaders(
  key: kms.Key,
  sid: string,
  roleArns: readonly string[],
  viaServices: readonly string[],
): void {
  if (roleArns.length === 0) return;
  const { region } = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid,
      principals: roleArns.map((arn) => new iam.ArnPrincipal(arn)),
      actions: KEY_READ_ACTIONS,
      resources: ['*'],
      conditions: { StringEquals: { 'kms:ViaService': viaServices.map((s) => `${s}.${region}.amazonaws.com`) } },
    }),
  );
}

/**
 * Lets CloudTrail encrypt the log files of one trail (`trailArn`) of the key's account
 * (encryption-context and `aws:SourceArn` conditions), and describe the key.
 */
export function allowCloudTrail(key: kms.Key, trailArn: string): void {
  const { account, partition } = Stack.of(key);
  const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailEncryptLogs',
      principals: [principal],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${account}:trail/*` },
        StringEquals: { 'aws:SourceArn': trailArn },
      },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailDescribeKey',
      principals: [principal],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }),
  );
}
