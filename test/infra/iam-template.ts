/**
 * The synthesized template read as IAM sees it once deployed: intrinsic functions resolved to concrete
 * names and ARNs (a resource's physical name is its logical id, unless the template names it), so a
 * role's statements and a function's environment can be fed to an IAM policy simulator.
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const PARTITION = 'aws';

/** The region's domain suffix, as CDK's region facts give it (only strings are built: nothing is reached). */
const URL_SUFFIX = RegionInfo.get(REGION).domainSuffix;
if (!URL_SUFFIX) throw new Error(`CDK knows no domain suffix for ${REGION}`);

const PSEUDO: Record<string, string> = {
  'AWS::Partition': PARTITION,
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': URL_SUFFIX,
  'AWS::StackName': 'GoChatIam',
  'AWS::NoValue': '',
};

type Json = any;

export class ResolvedTemplate {
  constructor(readonly resources: Record<string, Json>) {}

  private name(id: string): string {
    const r = this.resources[id];
    if (!r) throw new Error(`no resource ${id} in the template`);
    const p = r.Properties ?? {};
    const given = p.TableName ?? p.BucketName ?? p.FunctionName ?? p.QueueName ?? p.StateMachineName ?? p.Name;
    return typeof given === 'string' ? given : id.toLowerCase();
  }

  private arn(service: string, rest: string): string {
    return `arn:${PARTITION}:${service}:${REGION}:${ACCOUNT}:${rest}`;
  }

  ref(id: string): string {
    if (PSEUDO[id] !== undefined) return PSEUDO[id];
    const r = this.resources[id];
    if (!r) throw new Error(`Ref to unknown ${id}`);
    switch (r.Type) {
      case 'AWS::StepFunctions::StateMachine':
        return this.arn('states', `stateMachine:${this.name(id)}`);
      case 'AWS::SecretsManager::Secret':
        return this.arn('secretsmanager', `secret:${this.name(id)}-AbCdEf`);
      case 'AWS::SNS::Topic':
        return this.arn('sns', this.name(id));
      case 'AWS::SQS::Queue':
        return `https://sqs.${REGION}.${URL_SUFFIX}/${ACCOUNT}/${this.name(id)}`;
      case 'AWS::ApiGatewayV2::Stage':
        return this.resolve(r.Properties.StageName);
      default:
        return this.name(id);
    }
  }

  getAtt(id: string, attr: string): string {
    const r = this.resources[id];
    if (!r) throw new Error(`GetAtt of unknown ${id}`);
    const n = this.name(id);
    const arns: Record<string, () => string> = {
      'AWS::DynamoDB::Table': () => this.arn('dynamodb', `table/${n}`),
      'AWS::S3::Bucket': () => `arn:${PARTITION}:s3:::${n}`,
      'AWS::Lambda::Function': () => this.arn('lambda', `function:${n}`),
      'AWS::SQS::Queue': () => this.arn('sqs', n),
      'AWS::Logs::LogGroup': () => this.arn('logs', `log-group:${n}:*`),
      'AWS::Events::EventBus': () => this.arn('events', `event-bus/${n}`),
      'AWS::KMS::Key': () => this.arn('kms', `key/${n}`),
      'AWS::IAM::Role': () => `arn:${PARTITION}:iam::${ACCOUNT}:role/${n}`,
      'AWS::StepFunctions::StateMachine': () => this.ref(id),
    };
    if (attr === 'Arn' && arns[r.Type]) return arns[r.Type]();
    if (attr === 'StreamArn' && r.Type === 'AWS::DynamoDB::Table')
      return `${arns[r.Type]()}/stream/2026-01-01T00:00:00.000`;
    if (attr === 'Name') return n;
    if (attr === 'ApiId' || attr === 'ApiEndpoint') {
      const api = this.ref(id);
      return attr === 'ApiId' ? api : `wss://${api}.execute-api.${REGION}.${URL_SUFFIX}`;
    }
    if (attr === 'QueueUrl') return this.ref(id);
    throw new Error(`GetAtt ${id}.${attr} (${r.Type}) is not modelled`);
  }

  /** A template value with every intrinsic function resolved. */
  resolve(v: Json): Json {
    if (Array.isArray(v)) return v.map((x) => this.resolve(x));
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const [k] = keys;
      const a = v[k];
      if (k === 'Ref') return this.ref(a);
      if (k === 'Fn::GetAtt') return this.getAtt(...((typeof a === 'string' ? a.split('.') : a) as [string, string]));
      if (k === 'Fn::Join') return (this.resolve(a[1]) as string[]).join(a[0]);
      if (k === 'Fn::Select') return this.resolve(a[1])[Number(this.resolve(a[0]))];
      if (k === 'Fn::Split') return String(this.resolve(a[1])).split(a[0]);
      if (k === 'Fn::Sub') {
        const [text, vars] = typeof a === 'string' ? [a, {}] : [a[0], this.resolve(a[1])];
        return text.replace(/\$\{([^}]+)\}/g, (_: string, expr: string) => {
          if (vars[expr] !== undefined) return vars[expr];
          const [id, attr] = expr.split('.');
          return attr ? this.getAtt(id, attr) : this.ref(id);
        });
      }
      if (k.startsWith('Fn::')) throw new Error(`${k} is not modelled`);
    }
    return Object.fromEntries(keys.map((key) => [key, this.resolve(v[key])]));
  }

  ofType(type: string): [string, Json][] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  /** The Lambda function whose POWERTOOLS_SERVICE_NAME is `service`. */
  functionOf(service: string): { id: string; roleId: string; roleArn: string; env: Record<string, string> } {
    const found = this.ofType('AWS::Lambda::Function').find(
      ([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service,
    );
    if (!found) throw new Error(`no function for ${service}`);
    const [id, fn] = found;
    const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
    return {
      id,
      roleId,
      roleArn: this.getAtt(roleId, 'Arn'),
      env: this.resolve(fn.Properties.Environment.Variables),
    };
  }

  /** The resolved identity policies of a role: its inline and attached AWS::IAM::Policy documents. */
  policiesOf(roleId: string): { name: string; policy: { Version: string; Statement: Json[] } }[] {
    const role = this.resources[roleId];
    const inline = (role.Properties.Policies ?? []).map((p: Json) => ({
      name: p.PolicyName,
      policy: this.resolve(p.PolicyDocument),
    }));
    if (role.Properties.ManagedPolicyArns?.length) throw new Error(`${roleId} has managed policies: not modelled`);
    const attached = this.ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
      .map(([id, p]) => ({ name: id, policy: this.resolve(p.Properties.PolicyDocument) }));
    return [...inline, ...attached];
  }
}
